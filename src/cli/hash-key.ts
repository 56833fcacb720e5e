/**
 * Prints the SHA-256 that API_KEYS holds for a key.
 *   printf %s "$KEY" | npm run -s keys:hash     hashes a key read from stdin (kept out of shell history)
 *   npm run -s keys:hash -- <key>              hashes the argument
 *   npm run -s keys:hash -- --new              makes a random key and prints it with its hash
 */
import { randomBytes } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { hashKey } from '../runtime/http/auth.js';

const arg = process.argv[2];
if (arg === '--new') {
  const key = `dr_${randomBytes(24).toString('base64url')}`;
  process.stdout.write(`key:    ${key}\nsha256: ${hashKey(key)}\n`);
} else {
  const key = arg ?? (process.stdin.isTTY ? '' : (await text(process.stdin)).replace(/\r?\n$/, ''));
  if (!key) {
    process.stderr.write('usage: printf %s "$KEY" | npm run -s keys:hash  |  npm run -s keys:hash -- <key>  |  npm run -s keys:hash -- --new\n');
    process.exit(2);
  }
  process.stdout.write(`${hashKey(key)}\n`);
}
