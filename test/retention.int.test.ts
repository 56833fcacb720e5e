import { describe, expect, it, vi } from 'vitest';
import { topics } from './fixtures/prompts.js';
import { getJson, postSamples, serviceUnderTest } from './helpers/service.js';

const { service } = await serviceUnderTest('retention', { RETENTION_DAYS: '30', RETENTION_INTERVAL_MS: '300', SCORE_INTERVAL_MS: '200' });

const DAY = 86_400_000;
const storedSamples = async () => {
  const text = await (await fetch(`${service().url}/metrics`)).text();
  return Number(/^dr_stored_samples_total (\d+)/m.exec(text)?.[1] ?? 0);
};
const search = async (text: string) => (await getJson(`${service().url}/v1/search?text=${encodeURIComponent(text)}&k=20`)).body.hits as { promptId: string }[];

describe('RETENTION_DAYS', () => {
  it('removes old prompts from the store and the index, and the account state they made', async () => {
    const now = Date.now();
    const mixed = [
      ...topics.cooking.map((text, i) => ({ accountId: 'mixed', promptId: `old-${i}`, ts: now - 60 * DAY + i * 60_000, text })),
      ...topics.coding.map((text, i) => ({ accountId: 'mixed', promptId: `new-${i}`, ts: now - DAY + i * 60_000, text })),
    ];
    const stale = topics.travel.map((text, i) => ({ accountId: 'stale', promptId: `stale-${i}`, ts: now - 90 * DAY + i * 60_000, text }));
    expect((await postSamples(service().url, [...mixed, ...stale])).status).toBe(202);
    // Every sample is stored first, so the checks below see retention at work, not ingest not yet done.
    await vi.waitFor(async () => expect(await storedSamples()).toBe(mixed.length + stale.length), { timeout: 20_000, interval: 100 });

    await vi.waitFor(async () => expect((await getJson(`${service().url}/v1/prompts/old-0`)).status).toBe(404), { timeout: 20_000, interval: 100 });
    await vi.waitFor(async () => expect((await getJson(`${service().url}/v1/accounts/stale`)).status).toBe(404), { timeout: 20_000, interval: 100 });
    // Deletions reach the index through its log, after the store: wait for each search's own condition.
    await vi.waitFor(async () => expect((await search('roast chicken recipe')).some((h) => h.promptId.startsWith('old-'))).toBe(false), { timeout: 10_000, interval: 100 });
    await vi.waitFor(async () => expect((await search('hiking trip in the Alps')).some((h) => h.promptId.startsWith('stale-'))).toBe(false), { timeout: 10_000, interval: 100 });

    await vi.waitFor(async () => {
      const account = (await getJson(`${service().url}/v1/accounts/mixed`)).body;
      expect(account.counts).toEqual({ prompts: topics.coding.length, pendingScore: 0 });
      expect(Date.parse(account.firstSeen)).toBe(now - DAY);
      expect(account.evidence.prompts).toBe(topics.coding.length);
    }, { timeout: 20_000, interval: 100 });
    expect((await getJson(`${service().url}/v1/prompts/new-0`)).status).toBe(200);
    await vi.waitFor(() => expect(service().index!.prompts.size).toBe(topics.coding.length), { timeout: 10_000, interval: 100 });
  });
});
