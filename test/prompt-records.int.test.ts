import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisPromptStore } from '../src/adapters/redis/redis-prompt-store.js';
import { deletePrefix, redisKeys } from '../src/adapters/redis/schema.js';
import { REDIS_URL } from './helpers/service.js';

const prefix = `t-records-${randomBytes(4).toString('hex')}`;
const redis = new Redis(REDIS_URL);
const keys = redisKeys(prefix);
const store = new RedisPromptStore(redis, keys, { id: 'test-model', dimension: 4 });
afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

const classification = { subArea: 'swe.python', area: 'swe', highValue: true, confidence: 0.8123456789 };
const text = `Write a Python function that parses ISO dates, handles time zones and leap seconds, and explain each step. ${'Be thorough. '.repeat(20)}`;

describe('stored prompt records', () => {
  it('keep the record hash compact and the text and metadata compressed beside it, and read back whole', async () => {
    const metadata = { emailDomain: 'example.com', ip: '203.0.113.7', userAgent: 'python-httpx/0.27.0', inputTokens: 60 };
    expect(await store.store('b1', [{ accountId: 'a1', promptId: 'p1', ts: 1_777_000_000_000, text, metadata, vector: new Float32Array([1, 0, 0, 0]), classification }])).toBe(1);
    // Every hash field is short, so Redis keeps the hash in its compact (listpack) encoding.
    expect(await redis.object('ENCODING', keys.of('a1').prompt('p1'))).toBe('listpack');
    expect((await redis.strlen(keys.of('a1').body('p1'))) < text.length).toBe(true);
    expect(await store.getPrompt('p1')).toMatchObject({ promptId: 'p1', accountId: 'a1', text, metadata, label: 1, classification });
  });

  it('read records stored before bodies existed (text and metadata in the hash)', async () => {
    await redis.hset(keys.of('a2').prompt('old'), { a: 'a2', t: '1777000000000', x: 'an old prompt', l: '7', b: 'b0', m: '{"ip":"198.51.100.1"}', c: 'swe.web', r: 'swe', h: '0', q: '0.5' });
    expect(await store.getPrompt('old')).toMatchObject({ text: 'an old prompt', metadata: { ip: '198.51.100.1' }, label: 7, classification: { subArea: 'swe.web' } });
    expect(await store.getPrompt('missing')).toBeUndefined();
  });
});
