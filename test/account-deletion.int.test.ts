import { describe, expect, it, vi } from 'vitest';
import { samplesFor, topics } from './fixtures/prompts.js';
import { scanKeys } from '../src/adapters/redis/client.js';
import { getJson, postSamples, serviceUnderTest } from './helpers/service.js';

const T0 = Date.UTC(2026, 4, 1);
const { env, service } = await serviceUnderTest('erase', { SCORE_INTERVAL_MS: '200', MODEL_RELEASES: JSON.stringify([{ name: 'model-next', at: new Date(T0).toISOString() }]) });
// A young account on a new release: the fleet monitors know it by id until it is erased.
const young = { signupTs: new Date(T0 - 3_600_000).toISOString(), model: 'model-next', outputTokens: 100 };
const monitorsHolding = async (accountId: string) => {
  const hours = (await env.redis.hkeys(env.keys.fleetYoung)).filter((h) => !h.endsWith(':t'));
  const inHours = await Promise.all(hours.map((h) => env.redis.zscore(env.keys.fleetYoungHour(h), accountId)));
  return { inHours: inHours.filter((x) => x !== null).length, exposed: await env.redis.sismember(env.keys.releaseExposed('model-next'), accountId) };
};

const search = async () => (await getJson(`${service().url}/v1/search?text=${encodeURIComponent('vegetarian lasagna recipe')}&k=20`)).body.hits as { accountId: string }[];

describe('deleting an account on request', () => {
  it('removes its prompts from the store and the index, and its state, leaving others alone', async () => {
    await postSamples(service().url, [...samplesFor('gone', topics.cooking).map((x) => ({ ...x, metadata: young })), ...samplesFor('kept', topics.coding)]);
    await vi.waitFor(async () => expect((await getJson(`${service().url}/v1/accounts/gone`)).body.counts).toEqual({ prompts: topics.cooking.length, pendingScore: 0 }), { timeout: 15_000, interval: 100 });
    // The monitors count the fold once the sweep has carried its effects over (effects-relay.ts).
    await vi.waitFor(async () => expect(await monitorsHolding('gone')).toEqual({ inHours: 1, exposed: 1 }), { timeout: 10_000, interval: 50 });
    // Scores come from the store; search from the index, which follows the log on its own.
    await vi.waitFor(async () => expect((await search()).some((h) => h.accountId === 'gone')).toBe(true), { timeout: 10_000, interval: 50 });
    await vi.waitFor(() => expect(service().index!.prompts.size).toBe(topics.cooking.length + topics.coding.length), { timeout: 10_000, interval: 50 });

    const res = await fetch(`${service().url}/v1/admin/accounts/gone`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accountId: 'gone', deletedPrompts: topics.cooking.length });

    expect((await getJson(`${service().url}/v1/accounts/gone`)).status).toBe(404);
    expect((await getJson(`${service().url}/v1/prompts/gone-0`)).status).toBe(404);
    await vi.waitFor(async () => expect((await search()).some((h) => h.accountId === 'gone')).toBe(false), { timeout: 10_000, interval: 50 });
    await vi.waitFor(() => expect(service().index!.prompts.size).toBe(topics.coding.length), { timeout: 10_000, interval: 50 });
    expect((await getJson(`${service().url}/v1/accounts/kept`)).body.counts.prompts).toBe(topics.coding.length);
    const left: string[] = [];
    for await (const found of scanKeys(env.redis, [`${env.keys.of('gone').account('gone')}*`])) left.push(...found);
    expect(left).toEqual([]);
    expect(await monitorsHolding('gone')).toEqual({ inHours: 0, exposed: 0 });

    expect((await fetch(`${service().url}/v1/admin/accounts/gone`, { method: 'DELETE' })).status).toBe(404);
  });
});
