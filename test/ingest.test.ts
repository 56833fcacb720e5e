import { describe, expect, it } from 'vitest';
import { ingestBatch, type EmbeddedSample, type PromptStore } from '../src/app/ingest.js';
import type { Sample } from '../src/model/sample.js';
import { fakeEmbedder, fixedClassifier } from './fixtures/fake-embedder.js';

/** In-memory store with the same contract as the Redis one, able to die after N commits. */
function memoryStore(dieAfterCommits = Infinity) {
  const stored = new Map<string, EmbeddedSample>();
  const counts = new Map<string, number>();
  let commits = 0;
  const store: PromptStore = {
    async findStored(refs) {
      return new Set(refs.filter((r) => stored.has(r.promptId)).map((r) => r.promptId));
    },
    async store(_batchId, samples) {
      if (commits++ >= dieAfterCommits) throw new Error('worker killed');
      let n = 0;
      for (const s of samples) {
        if (stored.has(s.promptId)) continue;
        stored.set(s.promptId, s);
        counts.set(s.accountId, (counts.get(s.accountId) ?? 0) + 1);
        n++;
      }
      return n;
    },
  };
  return { store, stored, counts, revive: () => (dieAfterCommits = Infinity) };
}

const samples: Sample[] = Array.from({ length: 600 }, (_, i) => ({
  accountId: `acct-${i % 3}`,
  promptId: `p-${i}`,
  ts: 1_700_000_000_000 + i,
  text: `prompt number ${i} about topic ${i % 7}`,
}));

describe('ingestBatch', () => {
  it('stores every sample once and reports progress', async () => {
    const mem = memoryStore();
    const progress: number[] = [];
    const r = await ingestBatch('b1', samples, { embedder: fakeEmbedder(), classifier: fixedClassifier, store: mem.store }, (done) => void progress.push(done));
    expect(r).toEqual({ stored: 600, alreadyStored: 0 });
    expect(mem.counts.get('acct-0')).toBe(200);
    expect(progress.at(-1)).toBe(600);
  });

  it('a run that dies after a partial commit, then is retried, stores each sample exactly once', async () => {
    const mem = memoryStore(1);
    const { store, stored, counts } = mem;
    const embedder = fakeEmbedder();
    await expect(ingestBatch('b1', samples, { embedder, classifier: fixedClassifier, store })).rejects.toThrow('worker killed');
    const partial = stored.size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(samples.length);

    mem.revive();
    const retry = await ingestBatch('b1', samples, { embedder, classifier: fixedClassifier, store });
    expect(retry).toEqual({ stored: samples.length - partial, alreadyStored: partial });
    expect(stored.size).toBe(600);
    expect([...counts.values()]).toEqual([200, 200, 200]);
  });

  it('does not embed samples that are already stored', async () => {
    const mem = memoryStore();
    const embedder = fakeEmbedder();
    await ingestBatch('b1', samples.slice(0, 10), { embedder, classifier: fixedClassifier, store: mem.store });
    const calls = embedder.calls;
    const r = await ingestBatch('b1', samples.slice(0, 10), { embedder, classifier: fixedClassifier, store: mem.store });
    expect(r).toEqual({ stored: 0, alreadyStored: 10 });
    expect(embedder.calls).toBe(calls);
  });
});
