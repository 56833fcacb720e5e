import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signature } from '../src/adapters/webhook/deliver.js';
import { chitChat, curriculumPrompts } from './fixtures/curriculum.js';
import { getJson, postSamples, testEnv } from './helpers/service.js';

const SECRET = 'test-webhook-secret-0123456789';
const received: { headers: IncomingMessage['headers']; body: string }[] = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    // The first delivery fails, so the test also shows the retry.
    res.statusCode = received.length === 1 ? 503 : 204;
    res.end();
  });
});

const env = await testEnv('live');
let service: Awaited<ReturnType<typeof env.start>>;

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const { port } = receiver.address() as AddressInfo;
  service = await env.start({ WEBHOOK_URL: `http://127.0.0.1:${port}/hooks`, WEBHOOK_SECRET: SECRET, SCORE_INTERVAL_MS: '200' });
});
afterAll(async () => {
  await service?.stop();
  receiver.close();
  await env.cleanup();
});

const t0 = Date.UTC(2026, 4, 1);
const account = (id: string) => getJson(`${service.url}/v1/accounts/${id}`);

describe('live account scores', () => {
  it('moves an account up the tiers as its curriculum arrives, with an event and a signed webhook', async () => {
    const chat = chitChat.map((text, i) => ({ accountId: 'acct-x', promptId: `x-chat-${i}`, ts: t0 + i * 3_600_000, text }));
    expect((await postSamples(service.url, chat)).status).toBe(202);
    await vi.waitFor(async () => expect((await account('acct-x')).body.scoredAt).toEqual(expect.any(String)), { timeout: 15_000, interval: 100 });
    const before = (await account('acct-x')).body;
    expect(before).toMatchObject({ accountId: 'acct-x', tier: 'none', flagged: false, counts: { prompts: 4 } });

    const curriculum = curriculumPrompts(120).map((text, i) => ({ accountId: 'acct-x', promptId: `x-cur-${i}`, ts: t0 + 86_400_000 + i * 61_000, text }));
    expect((await postSamples(service.url, curriculum)).status).toBe(202);
    await vi.waitFor(async () => expect((await account('acct-x')).body.counts).toEqual({ prompts: 124, pendingScore: 0 }), { timeout: 15_000, interval: 100 });
    const after = (await account('acct-x')).body;
    expect(after.flagged).toBe(true);
    expect(after.score).toBeGreaterThan(before.score);
    expect(after.evidence.topSubAreas.length).toBeGreaterThan(2);
    expect(after.evidence.examplePromptIds.length).toBeGreaterThan(0);
    expect(after.evidence.curriculumShare).toBeGreaterThan(0.8);
    expect(after.evidence.topPrompts[0]).toMatchObject({ promptId: expect.stringMatching(/^x-cur-/), reasons: expect.arrayContaining([expect.any(String)]) });
    expect(after.evidence.summary).toMatch(/organic/);

    // The score index and the event follow the account's own state by at most one sweep (effects-relay.ts).
    await vi.waitFor(async () => expect((await getJson(`${service.url}/v1/accounts?tier=${after.tier}&limit=10`)).body.accounts.map((a: { accountId: string }) => a.accountId)).toContain('acct-x'), {
      timeout: 10_000,
      interval: 100,
    });
    await vi.waitFor(async () => expect((await getJson(`${service.url}/v1/events`)).body.events.at(-1)).toMatchObject({ type: 'account.tier_raised', data: { accountId: 'acct-x' } }), { timeout: 10_000, interval: 100 });
    const events = (await getJson(`${service.url}/v1/events`)).body.events;
    expect(events.at(-1)).toMatchObject({ type: 'account.tier_raised', data: { accountId: 'acct-x', from: 'none', to: after.tier, summary: after.evidence.summary } });
    // The event carries what the configured rules fire, with why; the account shows the same.
    expect(events.at(-1).data.actions.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['rate_limit', 'review']));
    expect(after.actions).toEqual(events.at(-1).data.actions);

    await vi.waitFor(() => expect(received.length).toBeGreaterThanOrEqual(2), { timeout: 15_000, interval: 100 });
    const delivery = received.at(-1)!;
    expect(delivery.headers['x-distill-radar-event']).toBe('account.tier_raised');
    expect(delivery.headers['x-distill-radar-signature']).toBe(signature(SECRET, String(delivery.headers['x-distill-radar-timestamp']), delivery.body));
    expect(received[0]!.body).toBe(delivery.body);
    expect(JSON.parse(delivery.body)).toMatchObject({ type: 'account.tier_raised', data: { accountId: 'acct-x', to: after.tier } });
  });

  it('answers unknown accounts with 404 and bad list queries with 400', async () => {
    expect((await account('nobody')).status).toBe(404);
    const bad = await getJson(`${service.url}/v1/accounts?tier=severe`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('tier: tier must be one of none, watch, review, block');
  });
});
