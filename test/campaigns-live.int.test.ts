import { describe, expect, it, vi } from 'vitest';
import { chitChat, wrappedFleet } from './fixtures/curriculum.js';
import { getJson, postSamples, serviceUnderTest } from './helpers/service.js';

const { service } = await serviceUnderTest('campaigns', { SCORE_INTERVAL_MS: '200', CAMPAIGN_INTERVAL_MS: '300', INDICATOR_SALT: 'test-indicator-salt-0123', STIX_PROVIDER: 'Test Provider' });

const t0 = Date.UTC(2026, 4, 1);
const common = ['hi', 'write a poem about love', 'what is the weather like today?', 'thanks!', ...chitChat];

describe('live campaigns', () => {
  it('groups a fleet of small accounts sharing a curriculum into one flagged campaign, and keeps organic users apart', async () => {
    const fleet = wrappedFleet(t0);
    const organic = Array.from({ length: 100 }, (_, a) =>
      [0, 1].map((i) => ({ accountId: `user-${a}`, promptId: `user-${a}-${i}`, ts: t0 + a * 1_800_000 + i * 600_000, text: common[(a + i) % common.length]! })),
    ).flat();
    expect((await postSamples(service().url, fleet)).status).toBe(202);
    expect((await postSamples(service().url, organic)).status).toBe(202);

    // Campaigns follow the folds: wait until every member's prompts are in.
    await vi.waitFor(async () => expect((await getJson(`${service().url}/v1/campaigns`)).body.campaigns).toEqual([expect.objectContaining({ size: 30 })]), {
      timeout: 30_000,
      interval: 200,
    });
    const [summary] = (await getJson(`${service().url}/v1/campaigns`)).body.campaigns;
    expect(summary).toMatchObject({ size: 30, tier: expect.stringMatching(/^(review|block)$/) });

    const detail = (await getJson(`${service().url}/v1/campaigns/${summary.clusterId}`)).body;
    expect(detail.members.map((m: { accountId: string }) => m.accountId).sort()).toEqual(Array.from({ length: 30 }, (_, a) => `fleet-${a}`).sort());
    // Six prompts each: no member is flagged on its own; the campaign flags them.
    expect(detail.members.every((m: { ownTier: string }) => m.ownTier === 'none' || m.ownTier === 'watch')).toBe(true);
    expect(detail.links[0]).toMatchObject({ kind: 'template' });
    expect(detail.timeline.reduce((n: number, d: { prompts: number }) => n + d.prompts, 0)).toBe(180);

    const member = (await getJson(`${service().url}/v1/accounts/fleet-7`)).body;
    expect(member).toMatchObject({ clusterId: summary.clusterId, flagged: true, counts: { prompts: 6 } });
    expect(member.campaign.links[0]).toMatchObject({ kind: 'template', key: expect.stringContaining('dataset task') });
    for (const a of [0, 17, 99]) {
      expect((await getJson(`${service().url}/v1/accounts/user-${a}`)).body).toMatchObject({ clusterId: null, flagged: false });
    }
    const events = (await getJson(`${service().url}/v1/events?limit=1000`)).body.events;
    // A campaign that grows while its members' prompts arrive is announced as it rises.
    const raised = events.filter((e: { type: string }) => e.type === 'campaign.tier_raised');
    expect(raised.length).toBeGreaterThan(0);
    expect(raised.at(-1).data).toMatchObject({ to: summary.tier });
    if (summary.tier === 'block') expect(raised.at(-1).data.actions.map((a: { action: string }) => a.action)).toContain('campaign_takedown');
    expect(member.actions.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['review']));
    expect(raised.every((e: { data: { size: number } }) => e.data.size <= 30)).toBe(true);
    expect((await getJson(`${service().url}/v1/campaigns/nope`)).status).toBe(404);

    // Analysts draw the campaign from its member-to-member links, and search within it.
    const drawn = new Set(detail.graph.edges.flatMap((e: { a: string; b: string }) => [e.a, e.b]));
    expect(drawn.size).toBe(30);
    const within = (await getJson(`${service().url}/v1/search?text=${encodeURIComponent('thanks! write a poem')}&campaign=${summary.clusterId}&k=20&from=2026-05-01T00:00:00Z&to=2026-05-03T00:00:00Z`)).body;
    expect(within.hits.length).toBeGreaterThan(0);
    for (const h of within.hits) {
      expect(h.accountId).toMatch(/^fleet-/);
      expect(Date.parse(h.ts)).toBeLessThan(Date.UTC(2026, 4, 3));
    }
    const bad = await getJson(`${service().url}/v1/search?text=x&from=yesterday`);
    expect(bad).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('from must be an ISO-8601 time') } } });
    expect((await getJson(`${service().url}/v1/search?text=x&campaign=nope`)).status).toBe(404);

    // The campaign as STIX 2.1 for other providers: the shared wrapper as a salted hash, never in the clear.
    const res = await fetch(`${service().url}/v1/campaigns/${summary.clusterId}/indicators`);
    expect(res.headers.get('content-type')).toContain('application/stix+json');
    const bundle = (await res.json()) as { type: string; objects: { type: string; name?: string; pattern?: string }[] };
    expect(bundle.type).toBe('bundle');
    expect(bundle.objects.map((o) => o.type)).toEqual(expect.arrayContaining(['identity', 'campaign', 'indicator', 'relationship']));
    expect(bundle.objects.find((o) => o.type === 'identity')!.name).toBe('Test Provider');
    expect(bundle.objects.some((o) => o.pattern?.startsWith('[x-prompt-template:line_hmac_sha256'))).toBe(true);
    expect(JSON.stringify(bundle)).not.toContain('dataset task');
    expect((await getJson(`${service().url}/v1/campaigns/nope/indicators`)).status).toBe(404);
  });
});
