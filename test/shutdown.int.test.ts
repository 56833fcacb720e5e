import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { samplesFor, topics, distinctPrompts } from './fixtures/prompts.js';
import { getJson, postSamples, testEnv, accountSearches } from './helpers/service.js';

/*
 * SIGTERM while the service is embedding and storing batches: an ordered shutdown (no new requests,
 * workers finish their jobs or give them back, the index is snapshotted and the log trimmed, Redis
 * released) that exits 0 within SHUTDOWN_TIMEOUT_MS, and a restart completes the rest with exact counts.
 */
const env = await testEnv('shutdown');
const running: { stop(signal?: NodeJS.Signals): Promise<number | null>; child: { exitCode: number | null; signalCode: NodeJS.Signals | null } }[] = [];
afterAll(async () => {
  for (const s of running) if (s.child.exitCode === null && s.child.signalCode === null) await s.stop('SIGKILL');
  await env.cleanup();
});

type Sample = { accountId: string; promptId: string; ts: number; text: string };
const SHUTDOWN_TIMEOUT_MS = 10_000;
const indexDir = () => path.join(env.dataDir, 'index', env.prefix);
const q = (name: string) => `${env.keys.queuePrefix}:ingest:${name}`;

async function spawn() {
  const s = await env.spawnReady({ SNAPSHOT_INTERVAL_S: '3600', SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS), INGEST_CONCURRENCY: '2' });
  running.push(s);
  return s;
}

async function snapshotState() {
  const name = (await readFile(path.join(indexDir(), 'CURRENT'), 'utf8')).trim();
  return JSON.parse(await readFile(path.join(indexDir(), name, 'state.json'), 'utf8')) as { lastLogIds: string[]; size: number };
}

/** Samples in ingest jobs that wait (or wait out a retry delay) in the queue. */
async function queuedSamples(): Promise<number> {
  const ids = [...(await env.redis.lrange(q('wait'), 0, -1)), ...(await env.redis.zrange(q('delayed'), 0, -1)), ...(await env.redis.zrange(q('prioritized'), 0, -1))];
  let n = 0;
  for (const id of ids) n += (JSON.parse((await env.redis.hget(q(id), 'data'))!) as { samples: unknown[] }).samples.length;
  return n;
}
const stored = () => env.labelsIssued();
const indexSize = async (url: string) => (await getJson(`${url}/ready`)).body.indexSize as number;
const QUERIES = [
  ['roast chicken dinner recipe', 'cook'],
  ['tomato soup', 'cook'],
  ['binary search unit tests', 'coder'],
] as const;
const searches = (url: string) => accountSearches(url, QUERIES);

describe('SIGTERM while batches are being processed', () => {
  it('exits 0 in time, hands back or finishes its jobs, snapshots the index; a restart completes the rest', async () => {
    const acked: Sample[] = [];
    const first = await spawn();
    for (const s of [samplesFor('cook', topics.cooking), samplesFor('coder', topics.coding)]) {
      expect((await postSamples(first.url, s)).body).toMatchObject({ accepted: s.length });
      acked.push(...s);
    }
    const refCount = acked.length;
    await vi.waitFor(async () => expect(await indexSize(first.url)).toBe(refCount), { timeout: 20_000, interval: 50 });
    const before = await searches(first.url);
    expect(before.map((b) => b.hits.length)).toEqual([3, 3, 3]);

    const BATCHES = 6;
    const PER_BATCH = 1000;
    const texts = distinctPrompts(BATCHES * PER_BATCH, 23);
    for (let b = 0; b < BATCHES; b++) {
      const samples = texts.slice(b * PER_BATCH, (b + 1) * PER_BATCH).map((text, i) => ({ accountId: `acct-${(b * PER_BATCH + i) % 5}`, promptId: `s${b}-${i}`, ts: Date.UTC(2026, 4, 2) + i, text }));
      expect((await postSamples(first.url, samples)).body).toMatchObject({ accepted: PER_BATCH });
      acked.push(...samples);
    }
    await vi.waitFor(async () => expect(await stored()).toBeGreaterThan(refCount), { timeout: 30_000, interval: 5 });
    // Jobs are in flight now.
    expect(await env.redis.llen(q('active'))).toBeGreaterThan(0);

    const started = Date.now();
    const exited = once(first.child as never, 'exit') as Promise<[number | null, string | null]>;
    first.child.kill('SIGTERM');
    // Clients keep sending while it shuts down: each request is answered 202 (and kept) or refused/cut
    // off (and sent again after the restart), never half-accepted.
    const refused: Sample[][] = [];
    let exitedYet = false;
    void exited.then(() => (exitedYet = true));
    for (let r = 0; !exitedYet && r < 500; r++) {
      const samples = samplesFor(`late-${r % 3}`, distinctPrompts(20, 40_000 + r * 20), `late-${r}`);
      const res = await postSamples(first.url, samples).catch(() => undefined);
      if (res?.status === 202 && res.body.accepted === samples.length) acked.push(...samples);
      else refused.push(samples);
      if (res === undefined) break;
    }
    const [code] = await exited;
    const tookMs = Date.now() - started;
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);

    // No job is left marked active: each finished or went back to the queue.
    expect(await env.redis.llen(q('active'))).toBe(0);
    const atExit = await stored();
    // Every acknowledged sample is stored or in a job waiting in the queue; nothing is in between.
    const queued = await queuedSamples();
    expect(atExit + queued).toBe(acked.length);
    // The snapshot holds what was applied; the log keeps only what came after it (normally nothing).
    const snap = await snapshotState();
    expect(snap.size).toBeGreaterThan(refCount);
    const after = await env.logAfter(snap.lastLogIds);
    expect(snap.size + after).toBe(atExit);
    // Each shard's log keeps the entry at the snapshot's position, and what came after.
    expect(await env.logLength()).toBe(after + snap.lastLogIds.filter((id) => id !== '0').length);

    const second = await spawn();
    expect(await indexSize(second.url)).toBeGreaterThanOrEqual(atExit);
    expect(await searches(second.url)).toEqual(before);
    for (const samples of refused) {
      const res = await postSamples(second.url, samples);
      expect(res.status).toBe(202);
      expect(Number(res.body.accepted) + Number(res.body.duplicates)).toBe(samples.length);
      acked.push(...samples);
    }

    await vi.waitFor(async () => expect(await stored()).toBe(acked.length), { timeout: 90_000, interval: 100 });
    await vi.waitFor(async () => expect(await indexSize(second.url)).toBe(acked.length), { timeout: 20_000, interval: 100 });
    const expected = new Map<string, number>();
    for (const s of acked) expected.set(s.accountId, (expected.get(s.accountId) ?? 0) + 1);
    for (const [accountId, n] of expected) {
      expect([accountId, Number(await env.redis.hget(env.keys.of(accountId).account(accountId), 'n'))]).toEqual([accountId, n]);
    }
    expect(await env.redis.zcard(q('failed'))).toBe(0);
    expect(await second.stop('SIGTERM')).toBe(0);
  });
});
