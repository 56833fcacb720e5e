import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { manyPrompts, samplesFor } from './fixtures/prompts.js';
import { postSamples, testEnv } from './helpers/service.js';

const env = await testEnv('crash');
let api: Awaited<ReturnType<typeof env.start>>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  api = await env.start({ ROLE: 'api' });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await api?.stop();
  await env.cleanup();
});

const ACCOUNTS = 8;
const BATCHES = 12;
const PER_BATCH = 1000;

async function stored(): Promise<number> {
  return env.labelsIssued();
}

function worker(): ChildProcess {
  // A short job lock lets the next worker pick up the killed worker's jobs in seconds, not 30.
  const child = env.spawn({ ROLE: 'worker', JOB_LOCK_MS: '1500', INGEST_CONCURRENCY: '2' });
  children.push(child);
  return child;
}

describe('a worker killed in the middle of a batch', () => {
  it('loses nothing and counts nothing twice once its jobs are retried', async () => {
    const texts = manyPrompts(BATCHES * PER_BATCH, 7);
    const expected = new Map<string, number>();
    for (let b = 0; b < BATCHES; b++) {
      const batch = texts.slice(b * PER_BATCH, (b + 1) * PER_BATCH).map((text, i) => {
        const accountId = `acct-${(b * PER_BATCH + i) % ACCOUNTS}`;
        expected.set(accountId, (expected.get(accountId) ?? 0) + 1);
        return { ...samplesFor(accountId, [text], `b${b}-p${i}`)[0]!, promptId: `b${b}-p${i}` };
      });
      expect((await postSamples(api.url, batch)).body).toMatchObject({ accepted: PER_BATCH });
    }

    const first = worker();
    await vi.waitFor(async () => expect(await stored()).toBeGreaterThan(0), { timeout: 30_000, interval: 5 });
    first.kill('SIGKILL');
    await once(first, 'exit');
    const atKill = await stored();
    expect(atKill).toBeLessThan(BATCHES * PER_BATCH);

    const second = worker();
    await vi.waitFor(async () => expect(await stored()).toBe(BATCHES * PER_BATCH), { timeout: 60_000, interval: 100 });
    for (const [accountId, n] of expected) {
      expect(Number(await env.redis.hget(env.keys.of(accountId).account(accountId), 'n'))).toBe(n);
    }
    // Exactly one index-log entry per sample reaches the index.
    await vi.waitFor(() => expect(api.index!.prompts.size).toBe(BATCHES * PER_BATCH), { timeout: 20_000, interval: 100 });
    second.kill('SIGTERM');
    await once(second, 'exit');
  });
});
