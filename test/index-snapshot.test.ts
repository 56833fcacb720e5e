import { PromptClusters } from '../src/model/search/prompt-clusters.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SimilarPrompts } from '../src/model/search/similar-prompts.js';
import { HnswVectorIndex } from '../src/adapters/hnsw/hnsw-index.js';
import { IndexModelMismatchError, readSnapshot, writeSnapshot } from '../src/adapters/hnsw/index-snapshot.js';
import { fakeEmbedder } from './fixtures/fake-embedder.js';

const params = { m: 16, efConstruction: 100, efSearch: 64 };
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function build() {
  const embedder = fakeEmbedder(32);
  const texts = Array.from({ length: 40_000 }, (_, i) => `prompt ${i % 97} about ${i % 13} and ${i}`);
  const vectors = await embedder.embed(texts);
  const prompts = new SimilarPrompts(HnswVectorIndex.create(32, params));
  vectors.forEach((vector, i) => prompts.add({ label: i + 1, promptId: `p${i}`, accountId: `a${i % 50}`, vector }));
  return { prompts, query: (await embedder.embed(['prompt 5 about 5']))[0]! };
}

describe('index snapshot', () => {
  it('grows past its initial capacity, and a reloaded snapshot answers the same searches', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dr-snap-'));
    dirs.push(dir);
    const { prompts, query } = await build();
    expect(prompts.size).toBe(40_000);
    const hits = prompts.search(query, { k: 10, accountId: 'a7' });
    expect(hits.length).toBe(10);
    expect(hits.every((h) => h.accountId === 'a7')).toBe(true);

    // A deleted prompt must stay deleted across the snapshot.
    const gone = hits[0]!;
    prompts.remove(gone.label);
    const remaining = prompts.search(query, { k: 10, accountId: 'a7' });
    expect(remaining.some((h) => h.label === gone.label)).toBe(false);

    const state = { lastLogIds: ['1-0', '2-0'], model: 'fake-bow', dimension: 32, size: prompts.size, writtenAt: new Date().toISOString() };
    await writeSnapshot(dir, state, prompts.index as HnswVectorIndex, prompts.snapshot(), '', new PromptClusters(0.9).snapshot());
    const loaded = await readSnapshot(dir, { model: 'fake-bow', dimension: 32 }, params);
    expect(loaded?.state.lastLogIds).toEqual(['1-0', '2-0']);
    const restored = new SimilarPrompts(loaded!.index, loaded!.catalog);
    expect(restored.size).toBe(39_999);
    expect(restored.search(query, { k: 10, accountId: 'a7' })).toEqual(remaining);
    expect(restored.search(query, { k: 10, excludeAccountId: 'a7' }).some((h) => h.accountId === 'a7')).toBe(false);
  });

  it('refuses a snapshot built with another model', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dr-snap-'));
    dirs.push(dir);
    const prompts = new SimilarPrompts(HnswVectorIndex.create(32, params));
    prompts.add({ label: 1, promptId: 'p', accountId: 'a', vector: new Float32Array(32).fill(0.1) });
    await writeSnapshot(dir, { lastLogIds: ['1-0'], model: 'fake-bow', dimension: 32, size: 1, writtenAt: '' }, prompts.index as HnswVectorIndex, prompts.snapshot(), '', new PromptClusters(0.9).snapshot());
    await expect(readSnapshot(dir, { model: 'glove-sif-100d', dimension: 100 }, params)).rejects.toThrow(IndexModelMismatchError);
  });
});
