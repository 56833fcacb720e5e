import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { distinctPrompts } from './fixtures/prompts.js';
import { freePort, getJson, postSamples, testEnv } from './helpers/service.js';

/*
 * Two index shards over a store split in four Redis shards: each shard process indexes the prompts
 * of two Redis shards, and a text search on the router asks both and merges. A third process keeps
 * the whole index, as a single-index deployment would, to compare answers with.
 */
const env = await testEnv('ishards', { REDIS_SHARDS: '4' });
const wholeDir = await mkdtemp(path.join(tmpdir(), 'dr-ishards-whole-'));
const running: { stop(): Promise<unknown> }[] = [];
let router: Awaited<ReturnType<typeof env.start>> & { url: string };
let shard1: Awaited<ReturnType<typeof env.spawnReady>>;
let whole: Awaited<ReturnType<typeof env.spawnReady>>;

beforeAll(async () => {
  shard1 = await env.spawnReady({ ROLE: 'api', INDEX_SHARDS: '2', INDEX_SHARD: '1' });
  whole = await env.spawnReady({ ROLE: 'api', DATA_DIR: wholeDir });
  running.push(shard1, whole);
  const port = await freePort();
  const self = `http://127.0.0.1:${port}`;
  router = await env.start({ PORT: String(port), INDEX_SHARDS: '2', INDEX_SHARD: '0', SEARCH_SHARD_URLS: `${self},${shard1.url}` });
  running.push(router);
}, 120_000);
afterAll(async () => {
  for (const s of running.reverse()) await s.stop();
  await env.cleanup();
  await rm(wholeDir, { recursive: true, force: true });
});

const texts = distinctPrompts(240, 11);
const samples = texts.map((text, i) => ({ accountId: `acct-${i % 40}`, promptId: `p-${i}`, ts: Date.UTC(2026, 4, 1) + i * 60_000, text }));
const indexSize = async (url: string) => (await getJson(`${url}/ready`)).body.indexSize as number;
const search = async (url: string, text: string, mode: string) => (await getJson(`${url}/v1/search?text=${encodeURIComponent(text)}&k=10&mode=${mode}`)).body;

describe('index shards with fanned-out search', () => {
  it('split the prompts between the shards, and the merged vector search answers as one whole index does', async () => {
    expect((await postSamples(router.url, samples)).status).toBe(202);
    await vi.waitFor(async () => expect(await indexSize(whole.url)).toBe(samples.length), { timeout: 30_000, interval: 100 });
    await vi.waitFor(async () => expect((await indexSize(router.url)) + (await indexSize(shard1.url))).toBe(samples.length), { timeout: 30_000, interval: 100 });
    const [own, other] = [await indexSize(router.url), await indexSize(shard1.url)];
    expect(Math.min(own, other)).toBeGreaterThan(samples.length / 4);

    for (const query of [texts[3]!, texts[100]!, 'write a function with unit tests', 'a recipe for dinner']) {
      const merged = await search(router.url, query, 'vector');
      const single = await search(whole.url, query, 'vector');
      expect(merged.hits.map((h: { promptId: string }) => h.promptId)).toEqual(single.hits.map((h: { promptId: string }) => h.promptId));
    }
    // Hybrid answers draw on both shards.
    const hybrid = (await search(router.url, 'write a function with unit tests', 'hybrid')).hits as { promptId: string }[];
    const fromShard1 = (await search(shard1.url, 'write a function with unit tests', 'hybrid')).hits as { promptId: string }[];
    expect(hybrid).toHaveLength(10);
    expect(hybrid.some((h) => fromShard1.some((x) => x.promptId === h.promptId))).toBe(true);
    expect(hybrid.some((h) => !fromShard1.some((x) => x.promptId === h.promptId))).toBe(true);
  });

  it('answers 503 rather than half an answer when a shard is away', async () => {
    await shard1.stop();
    const res = await getJson(`${router.url}/v1/search?text=${encodeURIComponent('a recipe for dinner')}`);
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: 'unavailable', message: expect.stringContaining(shard1.url) });
  });
});
