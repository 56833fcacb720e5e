import { describe, expect, it, vi } from 'vitest';
import { chitChat, curriculumPrompts } from './fixtures/curriculum.js';
import { getJson, postSamples, serviceUnderTest } from './helpers/service.js';
import { haveStixSchemas, stixErrors } from './helpers/stix-schemas.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const t0 = Date.UTC(2026, 4, 1);
const release = { name: 'model-next', at: t0 + 10 * DAY };

const { service } = await serviceUnderTest('fleet', {
  SCORE_INTERVAL_MS: '200',
  CAMPAIGN_INTERVAL_MS: '300',
  INDICATOR_SALT: 'test-indicator-salt-0123',
  MODEL_RELEASES: JSON.stringify([{ name: release.name, at: new Date(release.at).toISOString() }]),
});

const PROVIDERS = ['gmail.com', 'outlook.com', 'yahoo.com'];
const CLIENTS = ['OpenAI/Python 1.51.0', 'python-httpx/0.27.0', 'curl/8.5.0', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/130.0'];
const everyday = ['what is a good recipe for banana bread?', 'how long should I boil an egg?', 'recommend a sci-fi novel for a long flight', 'what does the idiom "break the ice" mean?', ...chitChat];
const iso = (ms: number) => new Date(ms).toISOString();

interface Account {
  id: string;
  signupTs: number;
  emailDomain: string;
  card: string;
  userAgent: string;
  ip: (i: number) => string;
}

function samples(a: Account, times: number[], text: (i: number) => string, model: (ts: number) => string, outputTokens: number) {
  return times.map((ts, i) => ({
    accountId: a.id,
    promptId: `${a.id}-${i}`,
    ts,
    text: text(i),
    metadata: { signupTs: iso(a.signupTs), emailDomain: a.emailDomain, paymentFingerprint: a.card, userAgent: a.userAgent, ip: a.ip(i), asn: 7000 + (a.id.length % 50), model: model(ts), outputTokens },
  }));
}

// Ordinary customers: signed up months ago, a few everyday questions on scattered days; twenty of
// them active in the day after the release, two of which try the new model.
const regulars = Array.from({ length: 60 }, (_, k) => {
  const a: Account = { id: `user-${k}`, signupTs: t0 - (100 + k) * DAY, emailDomain: PROVIDERS[k % 3]!, card: `card_user_${k}`, userAgent: CLIENTS[k % 4]!, ip: () => `81.2.${k}.9` };
  const days = k < 20 ? [1 + (k % 8), 10] : [(k * 3) % 14, (k * 5) % 14];
  const times = days.flatMap((d, j) => [0, 1].map((i) => t0 + d * DAY + (9 + (k % 8)) * HOUR + (j * 2 + i) * 12 * 60_000));
  return samples(a, times, (i) => everyday[(k + i) % everyday.length]!, (ts) => (k < 2 && ts >= release.at ? release.name : 'model-a'), 250);
}).flat();

// Newcomers sign up minutes before their first question: young accounts, a steady trickle.
const newcomers = Array.from({ length: 10 }, (_, k) => {
  const start = t0 + k * DAY + 15 * HOUR;
  const a: Account = { id: `newcomer-${k}`, signupTs: start - 10 * 60_000, emailDomain: PROVIDERS[k % 3]!, card: `card_new_${k}`, userAgent: CLIENTS[(k + 1) % 4]!, ip: () => `82.3.${k}.4` };
  return samples(a, [0, 1, 2].map((i) => start + i * 20 * 60_000), (i) => everyday[(k * 2 + i) % everyday.length]!, () => 'model-a', 250);
}).flat();

// Two organic teams: a company domain, the office network and a corporate card each.
const teams = Array.from({ length: 8 }, (_, k) => {
  const team = k < 4 ? 'acme-widgets.com' : 'nova-labs.io';
  const a: Account = { id: `team-${k}`, signupTs: t0 - (200 + k) * DAY, emailDomain: team, card: `card_${team}`, userAgent: CLIENTS[k % 4]!, ip: (i) => `62.10.${k < 4 ? 1 : 2}.${10 + ((k + i) % 5)}` };
  const times = [0, 1, 2].map((i) => t0 + ((k * 2 + i * 4) % 14) * DAY + (10 + i) * HOUR);
  return samples(a, times, (i) => everyday[(k + 3 * i) % everyday.length]!, () => 'model-a', 300);
}).flat();

// The clean fleet: two signup waves a week apart, major mail providers, a card per account, a new
// residential address per request, no template; one client, hours from signup to work, sixteen
// curriculum prompts every ten minutes, then silence. The second wave works on the new model.
const curriculum = curriculumPrompts(480);
const wave = (w: number, signup: number) =>
  Array.from({ length: 15 }, (_, k) => {
    const n = w * 15 + k;
    const a: Account = {
      id: `fleet-${n}`,
      signupTs: signup + (k % 4) * 10 * 60_000,
      emailDomain: PROVIDERS[k % 3]!,
      card: `card_fleet_${n}`,
      userAgent: 'python-httpx/0.27.0',
      ip: (i) => `${90 + ((n * 7 + i * 13) % 60)}.${(n * 31 + i * 17) % 250}.${(n + i * 3) % 250}.${1 + ((n * i) % 250)}`,
    };
    const start = a.signupTs + (6 + (k % 3)) * HOUR;
    const times = Array.from({ length: 16 }, (_, i) => start + i * 10 * 60_000 + ((k * i) % 3) * 60_000);
    return samples(a, times, (i) => curriculum[n * 16 + i]!, (ts) => (ts >= release.at ? release.name : 'model-a'), 700);
  }).flat();
const fleet = [...wave(0, t0 + 3 * DAY), ...wave(1, release.at - 4 * HOUR)];
const fleetIds = new Set(fleet.map((s) => s.accountId));

describe('a clean fleet arriving live', () => {
  it('becomes one flagged campaign with a rate alert, a release pivot, tier raises and indicators, while organic teams and newcomers stay unflagged', async () => {
    for (const batch of [regulars, newcomers, teams, fleet]) expect((await postSamples(service().url, batch)).status).toBe(202);
    const url = service().url;

    // Both waves are one campaign once every member's prompts are folded.
    await vi.waitFor(async () => expect((await getJson(`${url}/v1/campaigns`)).body.campaigns).toEqual([expect.objectContaining({ size: 30 })]), { timeout: 60_000, interval: 250 });
    const [summary] = (await getJson(`${url}/v1/campaigns`)).body.campaigns;
    expect(summary.tier).toMatch(/^(review|block)$/);

    // The release pivot is judged on the sweep after the last fold: wait for it on the campaign.
    await vi.waitFor(async () => expect((await getJson(`${url}/v1/campaigns/${summary.clusterId}`)).body.releasePivots).toEqual([expect.objectContaining({ pivoted: true })]), { timeout: 30_000, interval: 250 });
    const detail = (await getJson(`${url}/v1/campaigns/${summary.clusterId}`)).body;
    expect(new Set(detail.members.map((m: { accountId: string }) => m.accountId))).toEqual(fleetIds);
    // No template, card or address is shared: the waves link inside by signup wave, and to each other by signature.
    expect(detail.links.map((l: { kind: string }) => l.kind)).toEqual(expect.arrayContaining(['fleet-signature', 'infrastructure']));
    expect(detail.links.filter((l: { kind: string }) => l.kind === 'template')).toEqual([]);
    // Fifteen second-wave members worked after the release, all on it; two organic accounts of those active then tried it.
    expect(detail.releasePivots[0]).toMatchObject({ release: 'model-next', campaign: { exposed: 15, adopted: 15, share: 1 }, organic: { adopted: 2 } });
    expect(detail.releasePivots[0].organic.share).toBeLessThan(0.15);
    expect(detail.rates.peak.promptsPerHour).toBeGreaterThan(0);
    expect(detail.rates.outputTokens).toBe(30 * 16 * 700);

    for (const id of ['team-0', 'team-3', 'team-5', 'newcomer-4', 'user-7', 'user-1']) {
      expect((await getJson(`${url}/v1/accounts/${id}`)).body, id).toMatchObject({ clusterId: null, flagged: false });
    }
    expect((await getJson(`${url}/v1/accounts/fleet-20`)).body).toMatchObject({ clusterId: summary.clusterId, flagged: true });

    // Each wave's surge of young accounts departs from the young population's baseline.
    await vi.waitFor(async () => expect((await getJson(`${url}/v1/fleet/rates`)).body.alerts.length).toBeGreaterThanOrEqual(2), { timeout: 30_000, interval: 250 });
    const rates = (await getJson(`${url}/v1/fleet/rates?hours=720`)).body;
    expect(rates.population.hours.length).toBeGreaterThan(10);
    expect(rates.campaigns).toEqual([expect.objectContaining({ clusterId: summary.clusterId, releasePivots: [expect.objectContaining({ pivoted: true })] })]);
    for (const alert of rates.alerts) {
      expect(alert.value).toBeGreaterThanOrEqual(3 * alert.baseline);
      expect(alert.accounts.length).toBeGreaterThan(0);
      expect(alert.accounts.every((a: { accountId: string }) => fleetIds.has(a.accountId))).toBe(true);
    }

    const events = (await getJson(`${url}/v1/events?limit=1000`)).body.events as { type: string; data: Record<string, any> }[];
    const types = new Set(events.map((e) => e.type));
    expect([...types]).toEqual(expect.arrayContaining(['fleet.rate_alert', 'campaign.release_pivot', 'campaign.tier_raised', 'account.tier_raised']));
    expect(events.filter((e) => e.type === 'campaign.release_pivot').at(-1)!.data).toMatchObject({ clusterId: summary.clusterId, release: 'model-next', pivoted: true });
    const raisedAccounts = new Set(events.filter((e) => e.type === 'account.tier_raised' && /review|block/.test(e.data.to)).map((e) => e.data.accountId));
    expect([...raisedAccounts].every((id) => fleetIds.has(id))).toBe(true);

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^dr_fleet_young_prompts_per_hour \d+/m);
    expect(metrics).toContain(`dr_campaign_output_tokens_per_hour{campaign="${summary.clusterId}"}`);

    const bundle = await (await fetch(`${url}/v1/campaigns/${summary.clusterId}/indicators`)).json();
    expect(bundle.objects.map((o: { type: string }) => o.type)).toEqual(expect.arrayContaining(['identity', 'campaign', 'indicator', 'relationship']));
    expect(bundle.objects.some((o: { pattern?: string }) => o.pattern?.includes("user-account:account_created >= t'"))).toBe(true);
    if (haveStixSchemas) expect(stixErrors(bundle)).toEqual([]);

    for (const bad of ['hours=0', 'hours=721', 'hours=two', 'campaigns=-1', 'since=yesterday']) {
      const res = await getJson(`${url}/v1/fleet/rates?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code, bad).toBe('invalid_request');
    }
  });
});
