import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Queues } from '../jobs/registry.js';
import { scanKeys } from '../src/adapters/redis/client.js';
import { testEnv } from './helpers/service.js';

const env = await testEnv('hostile');
let service: Awaited<ReturnType<typeof env.start>>;
const LIMITS = { MAX_BODY_BYTES: '65536', MAX_TEXT_CHARS: '2000', MAX_BATCH_SAMPLES: '20' };

beforeAll(async () => {
  service = await env.start(LIMITS);
});
afterAll(async () => {
  await service?.stop();
  await env.cleanup();
});

const good = { accountId: 'acct-1', promptId: 'p-1', ts: '2026-05-01T12:00:00Z', text: 'Write a function that merges two sorted lists.' };
const withSample = (patch: Record<string, unknown>) => ({ samples: [{ ...good, ...patch }] });
const without = (field: keyof typeof good) => ({ samples: [Object.fromEntries(Object.entries(good).filter(([k]) => k !== field))] });
const goodJson = JSON.stringify(good).slice(1, -1);
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

type Case = {
  name: string;
  path?: string;
  method?: string;
  /** An object is sent as JSON; a string is sent verbatim. */
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  code: string;
  /** Text the message must contain: the offending field. */
  names: string;
};

const ingest: Case[] = [
  { name: 'malformed JSON', body: '{"samples": [', status: 400, code: 'invalid_json', names: 'request body' },
  { name: 'empty body', body: '', status: 400, code: 'invalid_json', names: 'request body' },
  { name: 'body not UTF-8', body: new Blob([new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])]), status: 400, code: 'invalid_json', names: 'request body' },
  { name: 'text/plain content type', body: JSON.stringify(withSample({})), headers: { 'content-type': 'text/plain' }, status: 415, code: 'unsupported_media_type', names: 'Content-Type' },
  { name: 'form content type', body: 'samples=1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'unsupported_media_type', names: 'Content-Type' },
  { name: 'body over MAX_BODY_BYTES', body: JSON.stringify(withSample({ text: 'x'.repeat(70_000) })), status: 413, code: 'payload_too_large', names: 'request body' },
  { name: 'chunked body over MAX_BODY_BYTES', body: 'stream', status: 413, code: 'payload_too_large', names: 'request body' },
  { name: 'array instead of object', body: [good], status: 400, code: 'invalid_request', names: 'request body' },
  { name: 'null body', body: 'null', status: 400, code: 'invalid_request', names: 'request body' },
  { name: 'no samples', body: {}, status: 400, code: 'invalid_request', names: 'samples' },
  { name: 'samples an object', body: { samples: good }, status: 400, code: 'invalid_request', names: 'samples' },
  { name: 'empty batch', body: { samples: [] }, status: 400, code: 'invalid_request', names: 'samples' },
  { name: 'batch over MAX_BATCH_SAMPLES', body: { samples: Array.from({ length: 21 }, (_, i) => ({ ...good, promptId: `p-${i}` })) }, status: 400, code: 'invalid_request', names: 'samples' },
  { name: 'unknown top-level field', body: { ...withSample({}), extra: 1 }, status: 400, code: 'invalid_request', names: 'extra' },
  { name: 'sample an array', body: { samples: [['acct-1', 'p-1']] }, status: 400, code: 'invalid_request', names: 'samples[0]' },
  { name: 'sample a string', body: { samples: ['hello'] }, status: 400, code: 'invalid_request', names: 'samples[0]' },
  { name: 'missing accountId', body: without('accountId'), status: 400, code: 'invalid_request', names: 'samples[0].accountId' },
  { name: 'missing promptId', body: without('promptId'), status: 400, code: 'invalid_request', names: 'samples[0].promptId' },
  { name: 'missing text', body: without('text'), status: 400, code: 'invalid_request', names: 'samples[0].text' },
  { name: 'missing ts', body: without('ts'), status: 400, code: 'invalid_request', names: 'samples[0].ts' },
  { name: 'accountId a number', body: withSample({ accountId: 42 }), status: 400, code: 'invalid_request', names: 'samples[0].accountId' },
  { name: 'text a number', body: withSample({ text: 42 }), status: 400, code: 'invalid_request', names: 'samples[0].text' },
  { name: 'empty text', body: withSample({ text: '' }), status: 400, code: 'invalid_request', names: 'samples[0].text' },
  { name: 'text over MAX_TEXT_CHARS', body: withSample({ text: 'y'.repeat(2001) }), status: 400, code: 'invalid_request', names: 'samples[0].text' },
  { name: 'NUL byte in text', body: withSample({ text: 'ab\u0000cd' }), status: 400, code: 'invalid_request', names: 'samples[0].text' },
  { name: 'lone high surrogate in text', body: `{"samples":[{${goodJson.replace(/"text":"[^"]*"/, '"text":"a\\ud800b"')}}]}`, status: 400, code: 'invalid_request', names: 'samples[0].text' },
  { name: 'lone low surrogate in text', body: `{"samples":[{${goodJson.replace(/"text":"[^"]*"/, '"text":"\\udc00"')}}]}`, status: 400, code: 'invalid_request', names: 'samples[0].text' },
  { name: 'ts "NaN"', body: withSample({ ts: 'NaN' }), status: 400, code: 'invalid_request', names: 'samples[0].ts' },
  { name: 'ts "Infinity"', body: withSample({ ts: 'Infinity' }), status: 400, code: 'invalid_request', names: 'samples[0].ts' },
  { name: 'ts not a date', body: withSample({ ts: 'yesterday' }), status: 400, code: 'invalid_request', names: 'samples[0].ts' },
  { name: 'ts a float', body: withSample({ ts: 1777637000000.5 }), status: 400, code: 'invalid_request', names: 'samples[0].ts' },
  { name: 'ts in epoch seconds', body: withSample({ ts: 1777637000 }), status: 400, code: 'invalid_request', names: 'samples[0].ts' },
  { name: 'ts negative', body: withSample({ ts: -1 }), status: 400, code: 'invalid_request', names: 'samples[0].ts' },
  { name: 'ts far future', body: withSample({ ts: '2999-01-01T00:00:00Z' }), status: 400, code: 'invalid_request', names: 'samples[0].ts' },
  { name: 'ts before 2000', body: withSample({ ts: '1999-12-31T23:59:59Z' }), status: 400, code: 'invalid_request', names: 'samples[0].ts' },
  { name: 'ts a boolean', body: withSample({ ts: true }), status: 400, code: 'invalid_request', names: 'samples[0].ts' },
  { name: 'promptId over 200 characters', body: withSample({ promptId: 'p'.repeat(201) }), status: 400, code: 'invalid_request', names: 'samples[0].promptId' },
  { name: 'empty promptId', body: withSample({ promptId: '' }), status: 400, code: 'invalid_request', names: 'samples[0].promptId' },
  { name: 'promptId with a space', body: withSample({ promptId: 'p 1' }), status: 400, code: 'invalid_request', names: 'samples[0].promptId' },
  { name: 'accountId with a control character', body: withSample({ accountId: 'acct\u00071' }), status: 400, code: 'invalid_request', names: 'samples[0].accountId' },
  { name: 'accountId with a newline (log injection)', body: withSample({ accountId: 'acct-1\n{"level":60}' }), status: 400, code: 'invalid_request', names: 'samples[0].accountId' },
  { name: 'promptId not ASCII', body: withSample({ promptId: 'prompt-é' }), status: 400, code: 'invalid_request', names: 'samples[0].promptId' },
  { name: '__proto__ key in a sample', body: `{"samples":[{${goodJson},"__proto__":{"isAdmin":true}}]}`, status: 400, code: 'invalid_request', names: 'samples[0].__proto__' },
  { name: 'constructor key in a sample', body: `{"samples":[{${goodJson},"constructor":{"prototype":{}}}]}`, status: 400, code: 'invalid_request', names: 'samples[0].constructor' },
  { name: '__proto__ key in metadata', body: `{"samples":[{${goodJson},"metadata":{"__proto__":{"x":1}}}]}`, status: 400, code: 'invalid_request', names: 'samples[0].metadata.__proto__' },
  { name: 'constructor key in metadata', body: withSample({ metadata: { constructor: 'x' } }), status: 400, code: 'invalid_request', names: 'samples[0].metadata.constructor' },
  { name: 'deeply nested metadata', body: `{"samples":[{${goodJson},"metadata":${nested(5000)}}]}`, status: 400, code: 'invalid_request', names: 'samples[0].metadata.a' },
  { name: 'metadata an array', body: withSample({ metadata: ['ip', '203.0.113.7'] }), status: 400, code: 'invalid_request', names: 'samples[0].metadata' },
  { name: 'metadata key with a space', body: withSample({ metadata: { 'client ip': '203.0.113.7' } }), status: 400, code: 'invalid_request', names: 'samples[0].metadata.client ip' },
  { name: 'metadata with 33 keys', body: withSample({ metadata: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])) }), status: 400, code: 'invalid_request', names: 'samples[0].metadata' },
  { name: 'metadata value over 1000 characters', body: withSample({ metadata: { note: 'z'.repeat(1001) } }), status: 400, code: 'invalid_request', names: 'samples[0].metadata.note' },
  { name: 'unknown sample field', body: withSample({ userId: 'u1' }), status: 400, code: 'invalid_request', names: 'samples[0].userId' },
  {
    name: 'one bad sample among good ones',
    body: { samples: [{ ...good, promptId: 'ok-1' }, { ...good, promptId: 'ok-2' }, { ...good, promptId: 'bad', ts: 'soon' }, { ...good, promptId: 'ok-3' }] },
    status: 400,
    code: 'invalid_request',
    names: 'samples[2].ts',
  },
  { name: 'duplicated key in a sample', body: `{"samples":[{${goodJson},"accountId":"acct-2"}]}`, status: 400, code: 'invalid_json', names: 'samples[0].accountId' },
  {
    name: 'duplicated key after strings that look like JSON',
    body: `{"samples":[${JSON.stringify({ ...good, text: 'a "ts": [1, {"b": 2}], \\' })},{${goodJson},"ts":1777637000000}]}`,
    status: 400,
    code: 'invalid_json',
    names: 'samples[1].ts',
  },
  { name: 'duplicated samples key', body: `{"samples":[],"samples":[{${goodJson}}]}`, status: 400, code: 'invalid_json', names: 'samples' },
  { name: 'GET on the ingest route', method: 'GET', status: 405, code: 'method_not_allowed', names: 'GET' },
];

const reads: Case[] = [
  { name: 'search k=0', path: '/v1/search?text=a&k=0', status: 400, code: 'invalid_request', names: 'k' },
  { name: 'search k=101', path: '/v1/search?text=a&k=101', status: 400, code: 'invalid_request', names: 'k' },
  { name: 'search k not a number', path: '/v1/search?text=a&k=ten', status: 400, code: 'invalid_request', names: 'k' },
  { name: 'search k a float', path: '/v1/search?text=a&k=1.5', status: 400, code: 'invalid_request', names: 'k' },
  { name: 'search without text', path: '/v1/search?k=5', status: 400, code: 'invalid_request', names: 'text' },
  { name: 'search with empty text', path: '/v1/search?text=', status: 400, code: 'invalid_request', names: 'text' },
  { name: 'search text over MAX_TEXT_CHARS', path: `/v1/search?text=${'q'.repeat(2001)}`, status: 400, code: 'invalid_request', names: 'text' },
  { name: 'search text twice', path: '/v1/search?text=a&text=b', status: 400, code: 'invalid_request', names: 'text' },
  { name: 'search unknown parameter', path: '/v1/search?text=a&limit=5', status: 400, code: 'invalid_request', names: 'limit' },
  { name: 'search accountId over 200 characters', path: `/v1/search?text=a&accountId=${'a'.repeat(201)}`, status: 400, code: 'invalid_request', names: 'accountId' },
  { name: 'unknown prompt', path: '/v1/prompts/no-such-prompt', status: 404, code: 'not_found', names: 'no-such-prompt' },
  { name: 'unknown prompt, percent-encoded NUL', path: '/v1/prompts/a%00b', status: 404, code: 'not_found', names: 'prompt' },
  { name: 'similar to an unknown prompt', path: '/v1/prompts/no-such-prompt/similar', status: 404, code: 'not_found', names: 'no-such-prompt' },
  { name: 'similar with k=0', path: '/v1/prompts/no-such-prompt/similar?k=0', status: 400, code: 'invalid_request', names: 'k' },
  { name: 'accounts with an unknown tier', path: '/v1/accounts?tier=evil', status: 400, code: 'invalid_request', names: 'tier' },
  { name: 'accounts limit=0', path: '/v1/accounts?limit=0', status: 400, code: 'invalid_request', names: 'limit' },
  { name: 'accounts limit=501', path: '/v1/accounts?limit=501', status: 400, code: 'invalid_request', names: 'limit' },
  { name: 'accounts limit not a number', path: '/v1/accounts?limit=all', status: 400, code: 'invalid_request', names: 'limit' },
  { name: 'accounts minScore above 1', path: '/v1/accounts?minScore=2', status: 400, code: 'invalid_request', names: 'minScore' },
  { name: 'accounts with a forged cursor', path: '/v1/accounts?cursor=!!!', status: 400, code: 'invalid_request', names: 'cursor' },
  { name: 'accounts with an over-long cursor', path: `/v1/accounts?cursor=${'A'.repeat(65)}`, status: 400, code: 'invalid_request', names: 'cursor' },
  { name: 'accounts unknown parameter', path: '/v1/accounts?sort=desc', status: 400, code: 'invalid_request', names: 'sort' },
  { name: 'unknown account', path: '/v1/accounts/no-such-account', status: 404, code: 'not_found', names: 'no-such-account' },
  { name: 'events with a bad cursor', path: '/v1/events?after=latest', status: 400, code: 'invalid_request', names: 'after' },
  { name: 'unknown route', path: '/v1/admin/flushall', status: 404, code: 'not_found', names: '/v1/admin/flushall' },
];

async function send(c: Case): Promise<Response> {
  const url = `${service.url}${c.path ?? '/v1/samples'}`;
  const method = c.method ?? (c.path ? 'GET' : 'POST');
  if (method !== 'POST') return fetch(url, { method });
  const headers = { 'content-type': 'application/json', ...c.headers };
  if (c.body === 'stream') {
    // No Content-Length: the cap must hold while streaming, not just on the declared size.
    const chunk = new TextEncoder().encode(' '.repeat(16_384));
    let sent = 0;
    const body = new ReadableStream({
      pull(ctrl) {
        if (sent++ < 8) ctrl.enqueue(chunk);
        else ctrl.close();
      },
    });
    return fetch(url, { method, headers, body, duplex: 'half' } as RequestInit);
  }
  const body = typeof c.body === 'string' || c.body instanceof Blob ? c.body : JSON.stringify(c.body);
  return fetch(url, { method, headers, body });
}

/** Keys other than the queues' own bookkeeping and the periodic score and campaign sweeps'. */
async function dataKeys(): Promise<string[]> {
  const keys: string[] = [];
  for await (const found of scanKeys(env.redis, env.keys.patterns)) keys.push(...found);
  // Queue schedulers, the index replicas' log positions and the recorded layout exist before any sample does.
  const bookkeeping = new RegExp(`^\\{?${env.prefix}(\\.\\d+)?\\}?:((score|campaigns):.*|[a-z]+:(meta|stalled-check)|log:vectors:followers|layout)$`);
  return keys.filter((k) => !bookkeeping.test(k)).sort();
}

describe('hostile and bad input', () => {
  it.each([...ingest, ...reads])('$name -> $status $code', async (c) => {
    const res = await send(c);
    expect(res.status).toBe(c.status);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(c.code);
    expect(body.error.message).toContain(c.names);
  });

  it('stored and enqueued nothing for any of them', async () => {
    expect(ingest.length + reads.length).toBeGreaterThanOrEqual(30);
    expect(await dataKeys()).toEqual([]);
    const queues = new Queues(env.redis, env.keys.queuePrefix);
    const counts = await queues.get('ingest').getJobCounts();
    await queues.close();
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
  });

  it('stores a good request on the same service, which the checks above would have seen', async () => {
    const res = await send({ name: 'good', body: { samples: [good] }, status: 202, code: '', names: '' });
    expect(res.status).toBe(202);
    await vi.waitFor(async () => expect(await dataKeys()).toContain(env.keys.of('acct-1').prompt('p-1')), { timeout: 10_000, interval: 50 });
    const stored = await fetch(`${service.url}/v1/prompts/p-1`);
    expect(await stored.json()).toMatchObject({ promptId: 'p-1', accountId: 'acct-1', text: good.text });
  });
});
