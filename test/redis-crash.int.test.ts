import { describe, expect, it, vi } from 'vitest';
import { ACCOUNT } from '../src/adapters/redis/schema.js';
import { serviceOnOwnRedis } from './helpers/redis-server.js';
import { REDIS_URL, testEnv } from './helpers/service.js';

/*
 * Redis crashes (SIGKILL: no save on the way down) in the middle of ingest and comes back on the
 * same append-only file, synced on every write (appendfsync always). Every sample the API answered
 * 202 must be stored, indexed and counted exactly once, by the same service process, which never
 * restarts.
 */
// The service refuses a Redis that could lose what it acknowledges: this one passes.
const { redisServer, env, redis, service } = await serviceOnOwnRedis('crash', { appendfsync: 'always' }, { JOB_LOCK_MS: '2000', REQUIRE_DURABLE_REDIS: 'true' });

const BATCH = 25;
const ACCOUNTS = 7;
let nextBatch = 0;

async function post(ids: string[]): Promise<number> {
  const samples = ids.map((promptId, i) => ({ accountId: `acct-${i % ACCOUNTS}`, promptId, ts: '2026-05-01T12:00:00Z', text: `Prove step ${promptId} of the induction on n.` }));
  try {
    const res = await fetch(`${service().url}/v1/samples`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ samples }), signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0; // no answer: in doubt, retried below like any unacknowledged batch
  }
}

async function count(): Promise<{ stored: number; counted: number }> {
  const stored = (await env.shardKeys('prompt', redis)).length;
  const perAccount = await Promise.all(Array.from({ length: ACCOUNTS }, (_, a) => redis.hget(env.keys.of(`acct-${a}`).account(`acct-${a}`), ACCOUNT.prompts)));
  return { stored, counted: perAccount.reduce((n, v) => n + Number(v ?? 0), 0) };
}

describe('Redis killed (SIGKILL) during ingest, with appendfsync always', () => {
  it('keeps every acknowledged sample, stored, indexed and counted exactly once, without restarting the service', async () => {
    const acknowledged = new Set<string>();
    const inDoubt: string[][] = [];
    let producing = true;
    const producer = async () => {
      while (producing) {
        const b = nextBatch++;
        const ids = Array.from({ length: BATCH }, (_, i) => `c-${b}-${i}`);
        if ((await post(ids)) === 202) ids.forEach((id) => acknowledged.add(id));
        else inDoubt.push(ids);
      }
    };
    const producers = [producer(), producer()];

    // Crash it while batches are in flight and workers are folding them.
    await vi.waitFor(() => expect(acknowledged.size).toBeGreaterThanOrEqual(8 * BATCH), { timeout: 30_000, interval: 20 });
    await redisServer.kill();
    await vi.waitFor(async () => expect((await fetch(`${service().url}/ready`)).status).toBe(503), { timeout: 10_000, interval: 50 });
    await redisServer.start();
    await vi.waitFor(async () => expect((await fetch(`${service().url}/ready`)).status).toBe(200), { timeout: 30_000, interval: 100 });
    const before = acknowledged.size;
    await vi.waitFor(() => expect(acknowledged.size).toBeGreaterThanOrEqual(before + 4 * BATCH), { timeout: 30_000, interval: 20 });
    producing = false;
    await Promise.all(producers);

    // A batch without a 202 is the client's to resend; resending one that did land changes nothing.
    for (const ids of inDoubt) {
      await vi.waitFor(async () => expect(await post(ids)).toBe(202), { timeout: 30_000, interval: 100 });
      ids.forEach((id) => acknowledged.add(id));
    }
    await vi.waitFor(async () => expect(await count()).toEqual({ stored: acknowledged.size, counted: acknowledged.size }), { timeout: 90_000, interval: 250 });
    await vi.waitFor(() => expect(service().index!.prompts.size).toBe(acknowledged.size), { timeout: 30_000, interval: 100 });
    for (const id of [...acknowledged].filter((_, i) => i % 97 === 0)) {
      expect((await fetch(`${service().url}/v1/prompts/${id}`)).status).toBe(200);
    }
  });
});

describe('REQUIRE_DURABLE_REDIS', () => {
  it('refuses to start on a Redis that can lose acknowledged samples, naming what is missing', async () => {
    const other = await testEnv('nondurable');
    try {
      // The shared test Redis (each master, on a cluster) runs without an append-only file.
      await expect(other.start({ REDIS_URL, REQUIRE_DURABLE_REDIS: 'true' })).rejects.toThrow(/REQUIRE_DURABLE_REDIS=true and Redis can lose acknowledged samples: (\S+: )?appendonly is no/);
    } finally {
      await other.cleanup();
    }
  });
});
