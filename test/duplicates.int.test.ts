import { describe, expect, it, vi } from 'vitest';
import { manyPrompts, samplesFor } from './fixtures/prompts.js';
import { getJson, postSamples, serviceUnderTest } from './helpers/service.js';

const { env, service } = await serviceUnderTest('dups');

async function storedCount(): Promise<number> {
  return env.labelsIssued();
}

describe('duplicate submission', () => {
  it('counts a resubmitted batch, an overlapping batch and repeats inside a batch as duplicates', async () => {
    const first = samplesFor('acct-a', manyPrompts(20));
    expect((await postSamples(service().url, first)).body).toMatchObject({ accepted: 20, duplicates: 0 });
    // The same request again (a client retry) maps onto the same batch and job.
    const again = await postSamples(service().url, first);
    expect(again.status).toBe(202);
    await vi.waitFor(async () => expect(await storedCount()).toBe(20), { timeout: 10_000, interval: 50 });

    expect((await postSamples(service().url, first)).body).toMatchObject({ accepted: 0, duplicates: 20 });
    const overlap = [...first.slice(10), ...samplesFor('acct-a', manyPrompts(5, 100), 'acct-a-new')];
    expect((await postSamples(service().url, overlap)).body).toMatchObject({ accepted: 5, duplicates: 10 });
    const repeated = samplesFor('acct-b', ['the same prompt id twice']);
    expect((await postSamples(service().url, [...repeated, ...repeated])).body).toMatchObject({ accepted: 1, duplicates: 1 });

    await vi.waitFor(async () => expect(await storedCount()).toBe(26), { timeout: 10_000, interval: 50 });
    const account = await env.redis.hgetall(env.keys.of('acct-a').account('acct-a'));
    expect(Number(account.n)).toBe(25);
    await vi.waitFor(() => expect(service().index!.prompts.size).toBe(26), { timeout: 10_000, interval: 50 });
  });

  it('stores each prompt once when different batches carrying it race each other', async () => {
    const shared = samplesFor('acct-c', manyPrompts(200, 1000));
    const batches = Array.from({ length: 6 }, (_, i) => [...shared.slice(i * 20, i * 20 + 100), ...samplesFor('acct-c', manyPrompts(10, 5000 + i * 10), `acct-c-own${i}`)]);
    const before = await storedCount();
    const results = await Promise.all(batches.map((b) => postSamples(service().url, b)));
    expect(results.every((r) => r.status === 202)).toBe(true);
    const distinct = new Set(batches.flat().map((s) => s.promptId)).size;
    const accepted = results.reduce((n, r) => n + (r.body.accepted as number), 0);
    expect(accepted).toBe(distinct);

    await vi.waitFor(async () => expect(await storedCount()).toBe(before + distinct), { timeout: 15_000, interval: 50 });
    expect(Number(await env.redis.hget(env.keys.of('acct-c').account('acct-c'), 'n'))).toBe(distinct);
    const { body } = await getJson(`${service().url}/v1/prompts/${shared[0]!.promptId}`);
    expect(body.accountId).toBe('acct-c');
  });
});
