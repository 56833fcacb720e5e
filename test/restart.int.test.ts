import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { manyPrompts, samplesFor, topics } from './fixtures/prompts.js';
import { getJson, postSamples, testEnv } from './helpers/service.js';

const env = await testEnv('restart');
afterAll(() => env.cleanup());

const search = async (url: string) => (await getJson(`${url}/v1/search?text=${encodeURIComponent('roast chicken dinner recipe')}&k=5`)).body;

describe('a restarted service', () => {
  it('restores the index from its snapshot, without the log, and keeps following new samples', async () => {
    const first = await env.spawnReady();
    await postSamples(first.url, [...samplesFor('cook', topics.cooking), ...samplesFor('bulk', manyPrompts(300))]);
    await vi.waitFor(async () => expect((await getJson(`${first.url}/ready`)).body.indexSize).toBe(304), { timeout: 15_000, interval: 50 });
    const before = await search(first.url);
    expect(before.hits[0].accountId).toBe('cook');
    expect(await first.stop('SIGTERM')).toBe(0);
    // The snapshot took the log's place: the index can only come back from disk.
    expect(await env.logLength()).toBeLessThanOrEqual(env.keys.shards.length);

    const second = await env.spawnReady();
    expect((await getJson(`${second.url}/ready`)).body.indexSize).toBe(304);
    expect(await search(second.url)).toEqual(before);

    await postSamples(second.url, samplesFor('cook2', ['Give me a recipe for roast chicken with lemon and garlic for dinner.']));
    await vi.waitFor(async () => expect((await search(second.url)).hits[0].accountId).toBe('cook2'), { timeout: 10_000, interval: 50 });
    expect(await second.stop('SIGTERM')).toBe(0);
  });

  it('refuses to start against stored vectors of another model', async () => {
    // The same weights under another name stand in for a different model.
    const modelsDir = await mkdtemp(path.join(tmpdir(), 'dr-models-'));
    await symlink(path.resolve('models/glove-sif-100d'), path.join(modelsDir, 'other-model'));
    try {
      await expect(env.start({ MODELS_DIR: modelsDir, EMBED_MODEL: 'other-model' })).rejects.toThrow(
        /holds vectors from glove-sif-100d \(100-d\) but EMBED_MODEL is other-model/,
      );
    } finally {
      await rm(modelsDir, { recursive: true, force: true });
    }
  });
});
