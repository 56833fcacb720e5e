import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { masters, scanKeys } from '../src/adapters/redis/client.js';
import { checkDurability } from '../src/adapters/redis/durability.js';
import { chitChat, curriculumPrompts, wrappedFleet } from './fixtures/curriculum.js';
import { startRedisCluster } from './helpers/redis-cluster.js';
import { getJson, postSamples, testEnv } from './helpers/service.js';

/*
 * The service on a real Redis Cluster of three masters: state split over six shards (slot groups),
 * queues under one hash tag, every script's keys in one slot. Ingest, duplicates, scoring, events,
 * campaigns, search and erasure behave as on one Redis, and the state really is spread out.
 */
const cluster = await startRedisCluster(3);
const env = await testEnv('cluster', { REDIS_CLUSTER_NODES: cluster.nodes, REDIS_SHARDS: '6' });
let service: Awaited<ReturnType<typeof env.start>>;

beforeAll(async () => {
  service = await env.start({ SCORE_INTERVAL_MS: '200', CAMPAIGN_INTERVAL_MS: '300' });
});
afterAll(async () => {
  await service?.stop();
  await env.cleanup();
  await cluster.destroy();
});

const t0 = Date.UTC(2026, 4, 1);
const fleet = wrappedFleet(t0);
const organic = Array.from({ length: 60 }, (_, a) =>
  [0, 1].map((i) => ({ accountId: `user-${a}`, promptId: `user-${a}-${i}`, ts: t0 + a * 1_800_000 + i * 600_000, text: chitChat[(a + i) % chitChat.length]! })),
).flat();
const sweeper = curriculumPrompts(120).map((text, i) => ({ accountId: 'acct-x', promptId: `x-cur-${i}`, ts: t0 + 86_400_000 + i * 61_000, text }));
const total = fleet.length + organic.length + sweeper.length;

/** Keys of this test's prefix held by each master. */
async function keysPerMaster(): Promise<number[]> {
  return Promise.all(
    masters(env.redis).map(async (node) => {
      let n = 0;
      for await (const found of scanKeys(node, env.keys.patterns)) n += found.length;
      return n;
    }),
  );
}

describe('on a Redis Cluster of three masters', () => {
  it('ingests, scores, links and searches as on one Redis, with the state spread over every master', async () => {
    for (const batch of [fleet, organic, sweeper]) expect((await postSamples(service.url, batch)).body).toMatchObject({ accepted: batch.length, duplicates: 0 });
    await vi.waitFor(() => expect(service.index!.prompts.size).toBe(total), { timeout: 30_000, interval: 100 });
    expect(await env.labelsIssued()).toBe(total);

    // A resent batch is recognised in every shard: nothing is stored or counted twice.
    expect((await postSamples(service.url, fleet)).body).toMatchObject({ accepted: 0, duplicates: fleet.length });

    // Scores, the tier-raise event and the score index (applied from the shards' outboxes).
    await vi.waitFor(async () => expect((await getJson(`${service.url}/v1/accounts/acct-x`)).body).toMatchObject({ counts: { prompts: 120, pendingScore: 0 }, flagged: true }), {
      timeout: 20_000,
      interval: 100,
    });
    const { tier } = (await getJson(`${service.url}/v1/accounts/acct-x`)).body;
    await vi.waitFor(async () => expect((await getJson(`${service.url}/v1/accounts?tier=${tier}&limit=50`)).body.accounts.map((a: { accountId: string }) => a.accountId)).toContain('acct-x'), {
      timeout: 10_000,
      interval: 100,
    });
    await vi.waitFor(async () => expect((await getJson(`${service.url}/v1/events?limit=1000`)).body.events).toContainEqual(expect.objectContaining({ type: 'account.tier_raised', data: expect.objectContaining({ accountId: 'acct-x' }) })), {
      timeout: 10_000,
      interval: 100,
    });
    expect((await getJson(`${service.url}/v1/accounts/user-3`)).body).toMatchObject({ counts: { prompts: 2 }, flagged: false });

    // Campaigns read every account's links across the shards.
    await vi.waitFor(async () => expect((await getJson(`${service.url}/v1/campaigns`)).body.campaigns).toEqual([expect.objectContaining({ size: 30 })]), { timeout: 30_000, interval: 200 });

    // Search follows all six shards' index logs; a prompt is read by id from whichever shard holds it.
    // (Curriculum items differ only in numbers, which embed alike: the best hit is one of them.)
    const hits = (await getJson(`${service.url}/v1/search?text=${encodeURIComponent(fleet[7]!.text)}&k=5`)).body.hits as { promptId: string; text: string; similarity: number }[];
    expect(hits[0]!.similarity).toBeGreaterThan(0.99);
    expect(hits.map((h) => h.text)).toEqual(hits.map((h) => fleet.find((f) => f.promptId === h.promptId)?.text));
    expect((await getJson(`${service.url}/v1/prompts/user-5-1`)).body).toMatchObject({ accountId: 'user-5', text: organic[11]!.text });

    // Every master holds part of the state, and each one's persistence is checked (these run without AOF).
    const perMaster = await keysPerMaster();
    expect(perMaster).toHaveLength(3);
    expect(perMaster.every((n) => n > 0)).toBe(true);
    const durability = await checkDurability(env.redis);
    expect(durability.problems.filter((p) => p.includes('appendonly is no')).map((p) => p.split(': ')[0]).sort()).toEqual(cluster.ports.map((p) => `127.0.0.1:${p}`).sort());
  });

  it('erases an account from its shard, the score index and the search index', async () => {
    const res = await fetch(`${service.url}/v1/admin/accounts/acct-x`, { method: 'DELETE' });
    expect(await res.json()).toEqual({ accountId: 'acct-x', deletedPrompts: 120 });
    expect((await getJson(`${service.url}/v1/accounts/acct-x`)).status).toBe(404);
    expect((await getJson(`${service.url}/v1/accounts?limit=100`)).body.accounts.map((a: { accountId: string }) => a.accountId)).not.toContain('acct-x');
    await vi.waitFor(() => expect(service.index!.prompts.size).toBe(total - 120), { timeout: 10_000, interval: 50 });
  });
});
