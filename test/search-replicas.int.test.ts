import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { getJson, postSamples, serviceUnderTest } from './helpers/service.js';

/*
 * Two search replicas on one log: the service (ROLE=all, embedding and an index) and a ROLE=api
 * process with an index of its own. The log is trimmed behind the slowest replica, so one that was
 * stopped while prompts kept arriving catches up from the log when it comes back.
 */
const { env, service } = await serviceUnderTest('replicas', { SNAPSHOT_INTERVAL_S: '3600' });
const replicaDir = await mkdtemp(path.join(tmpdir(), 'dr-replica-'));
afterAll(() => rm(replicaDir, { recursive: true, force: true }));

const t0 = Date.UTC(2026, 4, 1);
const batch = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ accountId: `acct-${(from + i) % 5}`, promptId: `r-${from + i}`, ts: t0 + (from + i) * 1000, text: `Explain how to solve exercise ex${from + i} about binary search trees and their rotations.` }));
const logLength = () => env.logLength();

describe('search replicas following one index log', () => {
  it('keeps the log for a stopped replica, which catches up when it returns', async () => {
    const replica = await env.spawnReady({ ROLE: 'api', DATA_DIR: replicaDir, SNAPSHOT_INTERVAL_S: '3600' });
    expect((await postSamples(service().url, batch(0, 40))).status).toBe(202);
    await vi.waitFor(async () => expect((await getJson(`${replica.url}/ready`)).body.indexSize).toBe(40), { timeout: 30_000, interval: 100 });
    expect(await replica.stop()).toBe(0); // snapshots on the way down

    expect((await postSamples(service().url, batch(40, 40))).status).toBe(202);
    await vi.waitFor(() => expect(service().index!.prompts.size).toBe(80), { timeout: 30_000, interval: 100 });
    // The first replica snapshots everything; the stopped one still needs the last 40 entries.
    await service().index!.snapshot();
    expect(await logLength()).toBeGreaterThanOrEqual(40);

    const back = await env.spawnReady({ ROLE: 'api', DATA_DIR: replicaDir, SNAPSHOT_INTERVAL_S: '3600' });
    try {
      await vi.waitFor(async () => expect((await getJson(`${back.url}/ready`)).body.indexSize).toBe(80), { timeout: 30_000, interval: 100 });
      const hits = (await getJson(`${back.url}/v1/search?text=${encodeURIComponent('exercise ex77 binary search trees')}&mode=lexical&k=1`)).body.hits;
      expect(hits[0].promptId).toBe('r-77');
    } finally {
      expect(await back.stop()).toBe(0);
    }
    // Both replicas have snapshotted all 80: the log is trimmed up to the last entry.
    await service().index!.snapshot();
    expect(await logLength()).toBeLessThanOrEqual(env.keys.shards.length);
  });

  it('refuses to serve from a log trimmed past its position (a new replica must start from a copied snapshot)', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'dr-replica-new-'));
    try {
      const child = env.spawn({ ROLE: 'api', DATA_DIR: empty, LOG_LEVEL: 'silent' });
      const [code] = await once(child, 'exit');
      expect(code).toBe(1);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
