import { describe, expect, it, vi } from 'vitest';
import { serviceOnOwnRedis } from './helpers/redis-server.js';

const { redisServer, env, redis, service } = await serviceOnOwnRedis('outage', {}, { JOB_LOCK_MS: '2000' });

const BATCH = 20;
let nextBatch = 0;
function makeBatch(): string[] {
  const b = nextBatch++;
  return Array.from({ length: BATCH }, (_, i) => `o-${b}-${i}`);
}

async function post(ids: string[]): Promise<{ status: number; ms: number }> {
  const t0 = Date.now();
  const samples = ids.map((promptId, i) => ({ accountId: `acct-${i % 3}`, promptId, ts: '2026-05-01T12:00:00Z', text: `Explain step ${promptId} of merging sorted lists.` }));
  try {
    const res = await fetch(`${service().url}/v1/samples`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ samples }),
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    return { status: res.status, ms: Date.now() - t0 };
  } catch {
    return { status: 0, ms: Date.now() - t0 };
  }
}

async function storedPromptIds(): Promise<Set<string>> {
  return new Set((await env.shardKeys('prompt', redis)).map((k) => k.slice(k.indexOf(':prompt:') + ':prompt:'.length)));
}

describe('Redis stopped during ingest', () => {
  it('answers 503 quickly while Redis is away, and loses nothing acknowledged once it is back', async () => {
    const acknowledged = new Set<string>();
    const unacknowledged: string[][] = [];
    const outageLatencies: number[] = [];
    let redisDown = false;
    let producing = true;

    // Two clients post continuously across the outage, like a pipeline would.
    const producer = async () => {
      while (producing) {
        const ids = makeBatch();
        const down = redisDown;
        const { status, ms } = await post(ids);
        if (down) outageLatencies.push(ms);
        if (status === 202) ids.forEach((id) => acknowledged.add(id));
        else {
          expect(status).toBe(503);
          unacknowledged.push(ids);
        }
      }
    };
    const producers = [producer(), producer()];

    await vi.waitFor(() => expect(acknowledged.size).toBeGreaterThanOrEqual(5 * BATCH), { timeout: 20_000, interval: 20 });
    await redisServer.stop();
    redisDown = true;

    const refusedIds = makeBatch();
    const refused = await post(refusedIds);
    expect(refused.status).toBe(503);
    unacknowledged.push(refusedIds);
    const ready = await fetch(`${service().url}/ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: { redis: string } }).checks.redis).toBe('unavailable');
    expect((await fetch(`${service().url}/live`)).status).toBe(200);
    const search = await fetch(`${service().url}/v1/prompts/o-0-0`);
    expect(search.status).toBe(503);
    expect(search.headers.get('retry-after')).toBe('1');
    await vi.waitFor(() => expect(outageLatencies.length).toBeGreaterThanOrEqual(10), { timeout: 20_000, interval: 20 });

    await redisServer.start();
    redisDown = false;
    await vi.waitFor(async () => expect((await fetch(`${service().url}/ready`)).status).toBe(200), { timeout: 20_000, interval: 100 });
    const before = acknowledged.size;
    await vi.waitFor(() => expect(acknowledged.size).toBeGreaterThanOrEqual(before + 5 * BATCH), { timeout: 20_000, interval: 20 });
    producing = false;
    await Promise.all(producers);

    // What was refused is the client's to retry; every retry is eventually acknowledged.
    for (const ids of unacknowledged) {
      await vi.waitFor(async () => expect((await post(ids)).status).toBe(202), { timeout: 20_000, interval: 100 });
      ids.forEach((id) => acknowledged.add(id));
    }

    expect(Math.max(...outageLatencies)).toBeLessThan(3000);
    await vi.waitFor(async () => expect((await storedPromptIds()).size).toBe(acknowledged.size), { timeout: 60_000, interval: 200 });
    expect(await storedPromptIds()).toEqual(acknowledged);
    await vi.waitFor(() => expect(service().index!.prompts.size).toBe(acknowledged.size), { timeout: 20_000, interval: 100 });
  });
});
