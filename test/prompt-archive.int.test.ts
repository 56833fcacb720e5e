import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { samplesFor, topics } from './fixtures/prompts.js';
import { getJson, postSamples, testEnv } from './helpers/service.js';

/*
 * Prompt bodies in PostgreSQL (ARCHIVE_URL): Redis keeps no text, reads and searches show it, a
 * resent batch writes nothing twice, and erasure takes the bodies too. Needs the PostgreSQL on
 * 127.0.0.1:5432 (trust auth) that .ci/run makes sure of.
 */
const ARCHIVE_URL = process.env.TEST_ARCHIVE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const probe = new pg.Client({ connectionString: ARCHIVE_URL, connectionTimeoutMillis: 2000 });
const havePostgres = await probe.connect().then(
  () => true,
  () => false,
);
if (!havePostgres && process.env.CI) throw new Error(`no PostgreSQL at ${ARCHIVE_URL}: .ci/run starts it`);
if (!havePostgres) console.warn(`[prompt-archive.int.test] skipped: no PostgreSQL at ${ARCHIVE_URL}`);

const env = await testEnv('archive');
let service: Awaited<ReturnType<typeof env.start>>;
const rows = async (accountId: string) => Number((await probe.query('SELECT count(*) AS n FROM prompt_bodies WHERE prefix = $1 AND account_id = $2', [env.prefix, accountId])).rows[0].n);

beforeAll(async () => {
  if (havePostgres) service = await env.start({ ARCHIVE_URL, SCORE_INTERVAL_MS: '200' });
});
afterAll(async () => {
  await service?.stop();
  if (havePostgres) await probe.query('DELETE FROM prompt_bodies WHERE prefix = $1', [env.prefix]);
  await probe.end().catch(() => undefined);
  await env.cleanup();
});

describe.skipIf(!havePostgres)('prompt bodies archived in PostgreSQL', () => {
  it('keeps text and metadata out of Redis, and shows them in reads and searches', async () => {
    const cook = samplesFor('cook', topics.cooking).map((s) => ({ ...s, metadata: { ip: '203.0.113.9', inputTokens: 42 } }));
    const coder = samplesFor('coder', topics.coding);
    expect((await postSamples(service.url, [...cook, ...coder])).status).toBe(202);
    await vi.waitFor(() => expect(service.index!.prompts.size).toBe(cook.length + coder.length), { timeout: 15_000, interval: 50 });

    expect(await rows('cook')).toBe(cook.length);
    const bodies = await Promise.all([...cook, ...coder].map((s) => env.redis.exists(env.keys.of(s.accountId).body(s.promptId))));
    expect(bodies.every((n) => n === 0)).toBe(true);

    expect((await getJson(`${service.url}/v1/prompts/${cook[1]!.promptId}`)).body).toMatchObject({ accountId: 'cook', text: cook[1]!.text, metadata: { ip: '203.0.113.9', inputTokens: 42 } });
    const hits = (await getJson(`${service.url}/v1/search?text=${encodeURIComponent('vegetarian lasagna spinach')}&k=3`)).body.hits as { promptId: string; text: string }[];
    expect(hits[0]).toMatchObject({ promptId: cook[0]!.promptId, text: cook[0]!.text });
    // Scoring reads the bodies too: the account's prompts are folded with their text.
    await vi.waitFor(async () => expect((await getJson(`${service.url}/v1/accounts/coder`)).body.counts).toEqual({ prompts: coder.length, pendingScore: 0 }), { timeout: 15_000, interval: 100 });
    const prompts = (await getJson(`${service.url}/v1/accounts/coder/prompts`)).body.prompts as { text: string }[];
    expect(prompts.map((p) => p.text).sort()).toEqual(coder.map((s) => s.text).sort());

    // A resent batch writes nothing twice.
    expect((await postSamples(service.url, cook)).body).toMatchObject({ accepted: 0, duplicates: cook.length });
    expect(await rows('cook')).toBe(cook.length);
  });

  it('erases an account’s bodies with its records', async () => {
    const res = await fetch(`${service.url}/v1/admin/accounts/cook`, { method: 'DELETE' });
    expect(await res.json()).toEqual({ accountId: 'cook', deletedPrompts: topics.cooking.length });
    expect(await rows('cook')).toBe(0);
    expect(await rows('coder')).toBe(topics.coding.length);
  });
});
