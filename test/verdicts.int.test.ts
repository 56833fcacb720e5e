import { describe, expect, it, vi } from 'vitest';
import { chitChat, curriculumPrompts } from './fixtures/curriculum.js';
import { getJson, postSamples, serviceUnderTest } from './helpers/service.js';

const { service } = await serviceUnderTest('verdicts', { SCORE_INTERVAL_MS: '200' });
const t0 = Date.UTC(2026, 4, 1);
const curriculum = curriculumPrompts(240);
const samples = (accountId: string, texts: string[], from: number) => texts.map((text, i) => ({ accountId, promptId: `${accountId}-${from + i}`, ts: t0 + (from + i) * 61_000, text }));
const post = async (url: string, body: unknown) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describe('verdicts', () => {
  it('records a benign verdict that keeps an account unflagged until new evidence, lists it, and exports it as a label', async () => {
    const url = service().url;
    expect((await postSamples(url, [...samples('bench-team', curriculum.slice(0, 60), 0), ...samples('someone', chitChat, 0)])).status).toBe(202);
    await vi.waitFor(async () => expect((await getJson(`${url}/v1/accounts/bench-team`)).body).toMatchObject({ flagged: true, counts: { prompts: 60, pendingScore: 0 } }), { timeout: 30_000, interval: 200 });

    const recorded = await post(`${url}/v1/verdicts`, { subject: 'account', id: 'bench-team', verdict: 'benign', note: 'our own eval harness' });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({ subject: 'account', id: 'bench-team', verdict: 'benign', note: 'our own eval harness', by: 'anonymous', accounts: 1 });

    const account = (await getJson(`${url}/v1/accounts/bench-team`)).body;
    expect(account).toMatchObject({ flagged: false, tier: 'none', actions: [], verdict: { verdict: 'benign', allowListed: true } });
    expect((await getJson(`${url}/v1/verdicts`)).body.verdicts).toEqual([expect.objectContaining({ id: 'bench-team', verdict: 'benign' })]);
    const labels = await (await fetch(`${url}/v1/verdicts/labels`)).text();
    expect(labels).toBe('{"accountId":"bench-team","label":"organic"}\n');

    // New evidence: much more curriculum than the review bar's worth since the verdict flags it again.
    const raisedBefore = ((await getJson(`${url}/v1/events?limit=1000`)).body.events as { type: string; data: { accountId: string } }[]).filter((e) => e.type === 'account.tier_raised' && e.data.accountId === 'bench-team').length;
    expect((await postSamples(url, samples('bench-team', curriculum.slice(60), 60))).status).toBe(202);
    await vi.waitFor(async () => expect((await getJson(`${url}/v1/accounts/bench-team`)).body).toMatchObject({ flagged: true, counts: { prompts: 240, pendingScore: 0 }, verdict: { allowListed: false } }), {
      timeout: 30_000,
      interval: 200,
    });
    // The event follows the account's own state by at most one sweep (effects-relay.ts).
    const raised = async () => ((await getJson(`${url}/v1/events?limit=1000`)).body.events as { type: string; data: { accountId: string } }[]).filter((e) => e.type === 'account.tier_raised' && e.data.accountId === 'bench-team').length;
    await vi.waitFor(async () => expect(await raised()).toBeGreaterThan(raisedBefore), { timeout: 10_000, interval: 100 });
  });

  it('refuses a verdict on something that does not exist, or that is not a verdict', async () => {
    const url = service().url;
    const missing = await post(`${url}/v1/verdicts`, { subject: 'account', id: 'nobody', verdict: 'malicious' });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect((await post(`${url}/v1/verdicts`, { subject: 'campaign', id: 'cmp_nope', verdict: 'malicious' })).status).toBe(404);
    const bad = await post(`${url}/v1/verdicts`, { subject: 'account', id: 'someone', verdict: 'guilty' });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    expect((await getJson(`${url}/v1/verdicts?limit=0`)).status).toBe(400);
  });
});
