import { MAX_TEXT_CHARS } from './scoring-setup.js';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { sampleSchema, type Sample } from '../model/sample.js';

/** Parsed JSON lines of a file, blank lines skipped; a bad line is an error naming its number. */
export async function* readJsonl(file: string): AsyncGenerator<{ line: number; value: unknown }> {
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    if (!text.trim()) continue;
    try {
      yield { line, value: JSON.parse(text) as unknown };
    } catch (err) {
      throw new Error(`${file}:${line}: invalid JSON (${(err as Error).message})`);
    }
  }
}

/** Traffic lines `{accountId, promptId, ts, text, metadata?}` validated like the ingest API does. */
export async function readSamples(file: string, maxTextChars = MAX_TEXT_CHARS): Promise<Sample[]> {
  const schema = sampleSchema({ maxTextChars, maxBatchSamples: 1 });
  const out: Sample[] = [];
  for await (const { line, value } of readJsonl(file)) {
    const r = schema.safeParse(value);
    if (!r.success) throw new Error(`${file}:${line}: ${r.error.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; ')}`);
    out.push(r.data as Sample);
  }
  return out;
}

export async function writeJsonl(file: string, rows: Iterable<unknown>): Promise<void> {
  const out = createWriteStream(file);
  for (const r of rows) if (!out.write(JSON.stringify(r) + '\n')) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** A progress bar on stderr: redrawn in place on a terminal, a line per 10% otherwise. */
export function progress(label: string): (done: number, total: number) => void {
  const tty = process.stderr.isTTY;
  const start = Date.now();
  let lastDraw = 0;
  let lastDecile = -1;
  return (done, total) => {
    const frac = total ? done / total : 1;
    const secs = ((Date.now() - start) / 1000).toFixed(1);
    if (tty) {
      if (Date.now() - lastDraw < 100 && done < total) return;
      lastDraw = Date.now();
      const bar = '#'.repeat(Math.round(frac * 30)).padEnd(30, '.');
      process.stderr.write(`\r${label} [${bar}] ${done}/${total} ${secs}s${done >= total ? '\n' : ''}`);
    } else {
      const decile = Math.floor(frac * 10);
      if (decile === lastDecile) return;
      lastDecile = decile;
      process.stderr.write(`${label} ${Math.round(frac * 100)}% (${done}/${total}) ${secs}s\n`);
    }
  };
}
