import { describe, expect, it, vi } from 'vitest';
import { topics } from './fixtures/prompts.js';
import { getJson, postSamples, serviceUnderTest } from './helpers/service.js';

const { service } = await serviceUnderTest('taxonomy', { SCORE_INTERVAL_MS: '200' });

const put = (body: unknown) =>
  fetch(`${service().url}/v1/admin/taxonomy`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const topSubArea = async () => (await getJson(`${service().url}/v1/accounts/dev-9`)).body.evidence?.topSubAreas[0]?.subArea;

describe('editing the taxonomy', () => {
  it('re-classifies stored prompts and rebuilds account evidence, reporting progress', async () => {
    const samples = [...topics.coding, ...topics.coding.map((t) => `${t} Please.`)].map((text, i) => ({ accountId: 'dev-9', promptId: `dev9-${i}`, ts: Date.UTC(2026, 4, 1) + i * 60_000, text }));
    expect((await postSamples(service().url, samples)).status).toBe(202);
    await vi.waitFor(async () => expect(await topSubArea()).toMatch(/^swe\./), { timeout: 15_000, interval: 100 });

    // Move every software exemplar into a new, low-value area: the same prompts must follow them.
    const { revision: before, taxonomy } = (await getJson(`${service().url}/v1/admin/taxonomy`)).body;
    expect(before).toMatch(/^file:/);
    const swe = taxonomy.areas.find((a: { id: string }) => a.id === 'swe');
    const exemplars = swe.subAreas.flatMap((s: { exemplars: string[] }) => s.exemplars);
    const edited = {
      ...taxonomy,
      version: 'test-2',
      areas: [
        ...taxonomy.areas.filter((a: { id: string }) => a.id !== 'swe'),
        { id: 'code2', label: 'Code, merged', highValue: false, subAreas: [{ id: 'everything', label: 'All code', exemplars }] },
      ],
      classifier: { ...taxonomy.classifier, cues: [] },
    };
    const res = await put(edited);
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { revision: string; reclassifyJob: string; status: string };
    expect(accepted.revision).toMatch(/^test-2-/);

    await vi.waitFor(async () => expect((await getJson(`${service().url}${accepted.status}`)).body).toMatchObject({ state: 'completed', progress: { done: 1, total: 1 } }), {
      timeout: 20_000,
      interval: 100,
    });
    await vi.waitFor(async () => expect(await topSubArea()).toBe('code2.everything'), { timeout: 15_000, interval: 100 });
    expect((await getJson(`${service().url}/v1/accounts/dev-9`)).body.counts).toEqual({ prompts: 10, pendingScore: 0 });
    expect((await getJson(`${service().url}/v1/prompts/dev9-0`)).status).toBe(200);
  });

  it('refuses an invalid taxonomy and keeps the one in force', async () => {
    const res = await put({ version: 'x', classifier: { k: 3, minSimilarity: 0.3, temperature: 0.05 }, areas: [] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^areas: /);
    expect((await getJson(`${service().url}/v1/admin/taxonomy`)).body.taxonomy.version).toBe('test-2');
  });
});
