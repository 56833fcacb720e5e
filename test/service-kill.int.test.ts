import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { samplesFor, topics, distinctPrompts } from './fixtures/prompts.js';
import { getJson, postSamples, testEnv, accountSearches } from './helpers/service.js';

/*
 * The whole service (ROLE=all: API, index owner and workers in one process) killed with SIGKILL while
 * it ingests, then restarted: what it acknowledged with 202 is stored exactly once, and the index
 * comes back from its last snapshot plus a replay of the index log after it.
 */
const env = await testEnv('svckill');
const running: { stop(signal?: NodeJS.Signals): Promise<number | null>; child: { exitCode: number | null; signalCode: NodeJS.Signals | null } }[] = [];
afterAll(async () => {
  for (const s of running) if (s.child.exitCode === null && s.child.signalCode === null) await s.stop('SIGKILL');
  await env.cleanup();
});

type Sample = { accountId: string; promptId: string; ts: number; text: string };
const indexDir = () => path.join(env.dataDir, 'index', env.prefix);

async function spawn(overrides: Record<string, string>) {
  const s = await env.spawnReady({ JOB_LOCK_MS: '1500', INGEST_CONCURRENCY: '2', ...overrides });
  running.push(s);
  return s;
}

async function snapshotState(): Promise<{ name: string; lastLogIds: string[]; size: number } | undefined> {
  try {
    const name = (await readFile(path.join(indexDir(), 'CURRENT'), 'utf8')).trim();
    const state = JSON.parse(await readFile(path.join(indexDir(), name, 'state.json'), 'utf8')) as { lastLogIds: string[]; size: number };
    return { name, lastLogIds: state.lastLogIds, size: state.size };
  } catch {
    return undefined;
  }
}

const storedLabels = () => env.labelsIssued();
const storedRecords = async () => (await env.shardKeys('prompt')).length;

const indexSize = async (url: string) => (await getJson(`${url}/ready`)).body.indexSize as number;
// Account-filtered searches: their answers depend only on that account's prompts, all indexed before the kill.
const QUERIES = [
  ['roast chicken dinner recipe', 'cook'],
  ['vegetarian lasagna spinach', 'cook'],
  ['binary search unit tests', 'coder'],
  ['average speed of a train', 'mathy'],
] as const;
const searches = (url: string) => accountSearches(url, QUERIES);

describe('the whole service killed with SIGKILL while ingesting', () => {
  it('stores every acknowledged sample exactly once and restores the index from snapshot plus log', async () => {
    const acked: Sample[] = [];
    const post = async (url: string, samples: Sample[]) => {
      const res = await postSamples(url, samples);
      expect(res.status).toBe(202);
      expect(res.body.accepted).toBe(samples.length);
      acked.push(...samples);
    };

    // 1. A first process indexes the reference prompts and snapshots them (a snapshot is due every second).
    const first = await spawn({ SNAPSHOT_INTERVAL_S: '1' });
    await post(first.url, samplesFor('cook', topics.cooking));
    await vi.waitFor(async () => expect((await snapshotState())?.size).toBe(topics.cooking.length), { timeout: 20_000, interval: 100 });
    expect(await first.stop('SIGKILL')).toBe(null);
    const snap = (await snapshotState())!;

    // 2. A second process, with no snapshot due, takes more reference prompts and then a bulk load it is killed in.
    const second = await spawn({ SNAPSHOT_INTERVAL_S: '3600' });
    expect(await indexSize(second.url)).toBe(topics.cooking.length);
    await post(second.url, samplesFor('coder', topics.coding));
    await post(second.url, samplesFor('mathy', topics.math));
    const refCount = topics.cooking.length + topics.coding.length + topics.math.length;
    await vi.waitFor(async () => expect(await indexSize(second.url)).toBe(refCount), { timeout: 20_000, interval: 50 });
    const before = await searches(second.url);
    expect(before.map((b) => b.hits.length)).toEqual([3, 3, 3, 3]);
    expect(before[0]!.hits[0].promptId).toBe('cook-1'); // the roast chicken prompt

    const BATCHES = 6;
    const PER_BATCH = 1000;
    const texts = distinctPrompts(BATCHES * PER_BATCH, 11);
    for (let b = 0; b < BATCHES; b++) {
      await post(
        second.url,
        texts.slice(b * PER_BATCH, (b + 1) * PER_BATCH).map((text, i) => ({ accountId: `acct-${(b * PER_BATCH + i) % 7}`, promptId: `b${b}-${i}`, ts: Date.UTC(2026, 4, 2) + i, text })),
      );
    }
    // Requests still arriving at the moment of the kill: whatever was not answered is sent again later.
    const unanswered: Sample[][] = [];
    let killed = false;
    const trickle = (async () => {
      for (let r = 0; !killed; r++) {
        const samples = distinctPrompts(50, 6144 + r * 50).map((text, i) => ({ accountId: `late-${i % 3}`, promptId: `late-${r}-${i}`, ts: Date.UTC(2026, 4, 3) + i, text }));
        try {
          await post(second.url, samples);
        } catch {
          unanswered.push(samples);
        }
      }
    })();

    await vi.waitFor(async () => expect(await storedLabels()).toBeGreaterThan(refCount), { timeout: 30_000, interval: 5 });
    killed = true;
    expect(await second.stop('SIGKILL')).toBe(null);
    await trickle;
    const atKill = await storedLabels();
    expect(atKill).toBeLessThan(acked.length); // it really was in the middle of the load

    // Nothing wrote a snapshot at the kill: the one from step 1 is still current, and the log holds the rest.
    expect(await snapshotState()).toEqual(snap);
    const replayable = await env.logAfter(snap!.lastLogIds);
    expect(replayable).toBe(atKill - topics.cooking.length);

    // 3. Restarted: the index is the snapshot plus the replayed log, and the killed jobs are retried.
    const third = await spawn({ SNAPSHOT_INTERVAL_S: '3600' });
    expect(await indexSize(third.url)).toBeGreaterThanOrEqual(atKill);
    expect(await searches(third.url)).toEqual(before);
    // A retry of a request whose answer was lost: accepted now, or already stored (a duplicate) if it made it in.
    for (const samples of unanswered) {
      const res = await postSamples(third.url, samples);
      expect(res.status).toBe(202);
      expect(Number(res.body.accepted) + Number(res.body.duplicates)).toBe(samples.length);
      acked.push(...samples);
    }

    await vi.waitFor(async () => expect(await storedLabels()).toBe(acked.length), { timeout: 90_000, interval: 100 });
    await vi.waitFor(async () => expect(await indexSize(third.url)).toBe(acked.length), { timeout: 20_000, interval: 100 });
    expect(await storedRecords()).toBe(acked.length);
    expect(new Set(acked.map((s) => s.promptId)).size).toBe(acked.length);
    const expected = new Map<string, number>();
    for (const s of acked) expected.set(s.accountId, (expected.get(s.accountId) ?? 0) + 1);
    for (const [accountId, n] of expected) {
      expect([accountId, Number(await env.redis.hget(env.keys.of(accountId).account(accountId), 'n'))]).toEqual([accountId, n]);
    }
    expect((await getJson(`${third.url}/v1/prompts/b0-0`)).body).toMatchObject({ promptId: 'b0-0', indexed: true });
    expect(await searches(third.url)).toEqual(before);
    expect(await third.stop('SIGTERM')).toBe(0);
  });
});
