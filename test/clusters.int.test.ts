import { describe, expect, it, vi } from 'vitest';
import { chitChat } from './fixtures/curriculum.js';
import { getJson, postSamples, serviceUnderTest } from './helpers/service.js';

const { service } = await serviceUnderTest('clusters');
const t0 = Date.UTC(2026, 4, 1);
// One harness sending one task with different numbers: near-identical embeddings, one cluster.
const harness = Array.from({ length: 12 }, (_, i) => ({ accountId: 'bench', promptId: `bench-${i}`, ts: t0 + i * 3_600_000, text: `Question: a train travels ${i + 20} km per hour for 3 hours. How far does it travel?\nAnswer:` }));
// A second account running the same harness: the similar account.
const twin = Array.from({ length: 6 }, (_, i) => ({ accountId: 'bench-twin', promptId: `twin-${i}`, ts: t0 + 40 * 3_600_000 + i * 60_000, text: `Question: a train travels ${i + 70} km per hour for 3 hours. How far does it travel?\nAnswer:` }));
const people = chitChat.map((text, i) => ({ accountId: `user-${i}`, promptId: `user-${i}`, ts: t0 + i * 60_000, text }));

describe('prompt clusters', () => {
  it('groups similar prompts as they arrive, labels them, and shows who sends them', async () => {
    const url = service().url;
    expect((await postSamples(url, [...harness, ...twin, ...people])).status).toBe(202);
    // Clusters follow the index: wait until every prompt is placed.
    await vi.waitFor(async () => {
      const { body } = await getJson(`${url}/v1/clusters?minSize=1&limit=200`);
      expect(body.clusters.reduce((n: number, c: { size: number }) => n + c.size, 0)).toBe(harness.length + twin.length + people.length);
    }, { timeout: 20_000, interval: 100 });

    const [top] = (await getJson(`${url}/v1/clusters?minSize=2`)).body.clusters;
    expect(top).toMatchObject({ size: 18, accounts: 2, firstSeen: new Date(t0).toISOString() });
    expect(top.label).toMatch(/travel|train|hour|far/);

    const detail = (await getJson(`${url}/v1/clusters/${top.id}`)).body;
    expect(detail).toMatchObject({ id: top.id, topAccounts: [{ accountId: 'bench', prompts: 12 }, { accountId: 'bench-twin', prompts: 6 }], flaggedShare: expect.any(Number) });
    expect(detail.examples).toHaveLength(5);
    expect(detail.examples[0].text).toContain('Question: a train travels');
    expect(detail.daily.reduce((n: number, d: { prompts: number }) => n + d.prompts, 0)).toBe(18);

    const account = (await getJson(`${url}/v1/accounts/bench`)).body;
    expect(account.clusters[0]).toMatchObject({ id: top.id, prompts: 12 });
    expect((await getJson(`${url}/v1/clusters?q=${encodeURIComponent(top.label.split(' / ')[0])}&minSize=2`)).body.clusters[0].id).toBe(top.id);
    // The map: every cluster once, at a position, the same twice over.
    const total = (await getJson(`${url}/v1/clusters?minSize=1`)).body.total;
    const map = (await getJson(`${url}/v1/clusters/map?minSize=1`)).body;
    expect(map.points).toHaveLength(total);
    expect(map.points.find((p: { id: string }) => p.id === top.id)).toMatchObject({ size: 18, x: expect.any(Number), y: expect.any(Number), flaggedShare: expect.any(Number) });
    expect((await getJson(`${url}/v1/clusters/map?minSize=1`)).body).toEqual(map);
    // The account views: its prompts in time with their clusters, a sub-area by day heatmap, its twin.
    const prompts = (await getJson(`${url}/v1/accounts/bench/prompts?limit=5`)).body;
    expect(prompts.prompts).toHaveLength(5);
    expect(prompts.prompts[0]).toMatchObject({ promptId: 'bench-11', clusterId: top.id, subArea: expect.any(String) });
    expect(prompts.nextCursor).toEqual(expect.any(String));
    const heatmap = (await getJson(`${url}/v1/accounts/bench/heatmap`)).body;
    expect(heatmap).toMatchObject({ days: ['2026-05-01'], prompts: 12 });
    expect(heatmap.counts.flat().reduce((a: number, b: number) => a + b, 0)).toBe(12);
    expect((await getJson(`${url}/v1/accounts/bench/similar`)).body.accounts[0]).toMatchObject({ accountId: 'bench-twin', overlap: 1, sharedClusters: 1 });
    expect((await getJson(`${url}/v1/accounts/bench/similar?limit=1`)).body.accounts).toHaveLength(1);
    expect((await getJson(`${url}/v1/accounts/bench/similar?limit=0`)).status).toBe(400);
    expect((await getJson(`${url}/v1/accounts/nobody/heatmap`)).status).toBe(404);
    expect((await getJson(`${url}/v1/clusters/cl_nope`)).status).toBe(404);
    expect((await getJson(`${url}/v1/clusters?limit=0`)).status).toBe(400);
  });
});
