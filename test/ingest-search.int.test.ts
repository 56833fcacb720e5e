import { describe, expect, it, vi } from 'vitest';
import { getJson, postSamples, serviceUnderTest } from './helpers/service.js';
import { samplesFor, topics } from './fixtures/prompts.js';

const { service } = await serviceUnderTest('search');

describe('ingest -> search on the real model and Redis', () => {
  it('makes posted samples findable by similar text within seconds', async () => {
    const samples = [
      ...samplesFor('dev-1', topics.coding),
      ...samplesFor('cook-1', topics.cooking),
      ...samplesFor('math-1', topics.math),
    ];
    const res = await postSamples(service().url, samples);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ accepted: samples.length, duplicates: 0 });
    expect(res.body.batchId).toMatch(/^b[0-9a-f]{32}$/);

    await vi.waitFor(async () => {
      const { body } = await getJson(`${service().url}/v1/search?text=${encodeURIComponent('bake an apple pie with cinnamon')}&k=3`);
      expect(body.hits).toHaveLength(3);
      expect(body.hits[0].accountId).toBe('cook-1');
    }, { timeout: 10_000, interval: 50 });

    const { body } = await getJson(`${service().url}/v1/search?text=${encodeURIComponent('write a unit test for my sorting function in Python')}&k=2`);
    expect(body.mode).toBe('hybrid');
    expect(body.hits.map((h: { accountId: string }) => h.accountId)).toEqual(['dev-1', 'dev-1']);
    expect(body.hits[0]).toEqual({
      promptId: expect.stringMatching(/^dev-1-/),
      accountId: 'dev-1',
      // The cluster of similar prompts it belongs to, for the analyst's drill-down.
      clusterId: expect.stringMatching(/^cl_/),
      similarity: expect.any(Number),
      // Its word-match score (BM25): it shares "unit test", "sorting" and "Python" with the query.
      lexicalScore: expect.any(Number),
      ts: expect.stringMatching(/^2026-05-01T/),
      text: expect.any(String),
    });
    for (const mode of ['vector', 'lexical']) {
      const one = await getJson(`${service().url}/v1/search?text=${encodeURIComponent('write a unit test for my sorting function in Python')}&k=2&mode=${mode}`);
      expect(one.body.hits[0].accountId, mode).toBe('dev-1');
    }
    expect((await getJson(`${service().url}/v1/search?text=x&mode=fuzzy`)).status).toBe(400);
  });

  it('restricts and excludes accounts, and finds prompts similar to a stored one', async () => {
    const only = await getJson(`${service().url}/v1/search?text=recipe&k=5&accountId=math-1`);
    expect(only.body.hits.length).toBeGreaterThan(0);
    expect(new Set(only.body.hits.map((h: { accountId: string }) => h.accountId))).toEqual(new Set(['math-1']));

    const excluded = await getJson(`${service().url}/v1/search?text=recipe&k=10&excludeAccountId=cook-1`);
    expect(excluded.body.hits.every((h: { accountId: string }) => h.accountId !== 'cook-1')).toBe(true);

    const similar = await getJson(`${service().url}/v1/prompts/cook-1-0/similar?k=2`);
    expect(similar.status).toBe(200);
    expect(similar.body.hits).toHaveLength(2);
    expect(similar.body.hits.every((h: { promptId: string; accountId: string }) => h.promptId !== 'cook-1-0' && h.accountId === 'cook-1')).toBe(true);

    const prompt = await getJson(`${service().url}/v1/prompts/math-1-1`);
    expect(prompt.body).toMatchObject({ promptId: 'math-1-1', accountId: 'math-1', text: topics.math[1], indexed: true });
  });

  it('answers 404 and 400 as JSON problems', async () => {
    expect(await getJson(`${service().url}/v1/prompts/nope`)).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'prompt nope not found' } } });
    const bad = await getJson(`${service().url}/v1/search?text=x&k=1000`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('k: k must be at most 100');
    const badJson = await fetch(`${service().url}/v1/samples`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"samples": [' });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
  });

  it('reports readiness and metrics', async () => {
    const ready = await getJson(`${service().url}/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ redis: 'ok', model: 'ok' });
    expect(ready.body.model).toBe('glove-sif-100d (100-d)');
    const metrics = await (await fetch(`${service().url}/metrics`)).text();
    expect(metrics).toMatch(/dr_index_size \d+/);
    expect(metrics).toMatch(/dr_ingest_samples_total\{outcome="accepted"\} 13/);
  });
});
