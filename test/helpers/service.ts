import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from '../../src/cli/local.js';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRedis, scanKeys } from '../../src/adapters/redis/client.js';
import { loadConfig, redisLayout, type Config } from '../../src/runtime/config.js';
import { createLogger } from '../../src/runtime/log.js';
import { startService, type RunningService } from '../../src/runtime/service.js';
import { deletePrefix, redisKeys, sumOverShards } from '../../src/adapters/redis/schema.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The Redis layout the suite runs on: `REDIS_SHARDS=3 npm test` runs every test on the sharded,
 * tagged layout a cluster uses, and `REDIS_CLUSTER_NODES=host:port,...` runs it on a cluster
 * (tests that stop or kill a Redis of their own keep their single server).
 */
const LAYOUT: Record<string, string> = Object.fromEntries(
  (['REDIS_SHARDS', 'REDIS_CLUSTER_NODES'] as const).flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])),
);

/** A key prefix and data dir of its own, so tests never see each other's state. */
export async function testEnv(name: string, layout: { REDIS_SHARDS?: string; REDIS_CLUSTER_NODES?: string } = {}) {
  const prefix = `t-${name}-${randomBytes(4).toString('hex')}`;
  const dataDir = await mkdtemp(path.join(tmpdir(), `dr-${name}-`));
  // An empty value unsets the suite's: a test of its own single Redis server runs without a cluster.
  const redisLayoutEnv = Object.fromEntries(Object.entries({ ...LAYOUT, ...layout }).filter(([, v]) => v)) as Record<string, string>;
  const base = loadConfig({ REDIS_URL, ...redisLayoutEnv });
  const redis = createRedis({ url: REDIS_URL, clusterNodes: base.REDIS_CLUSTER_NODES }, {});
  return {
    prefix,
    dataDir,
    redis,
    /** The keys the service under test writes. */
    keys: redisKeys(prefix, redisLayout(base)),
    /** Labels the store has handed out: prompts stored, over every shard. */
    async labelsIssued(): Promise<number> {
      return sumOverShards(this.keys, async (k) => Number((await redis.get(k.labelSeq)) ?? 0));
    },
    /** Index-log entries over every shard. */
    logLength(): Promise<number> {
      return sumOverShards(this.keys, (k) => redis.xlen(k.vectorLog));
    },
    /** Index-log entries after a snapshot's positions (one per shard): what a restart replays. */
    async logAfter(lastLogIds: readonly string[]): Promise<number> {
      return sumOverShards(this.keys, async (k) => (await redis.xrange(k.vectorLog, `(${lastLogIds[k.shard]}`, '+')).length);
    },
    /** Keys of one kind (`prompt`, `claim`) over every shard, on the suite's Redis or another one (a test's own server). */
    async shardKeys(kind: 'prompt' | 'claim', on = redis): Promise<string[]> {
      const out: string[] = [];
      for await (const found of scanKeys(on, this.keys.shards.map((k) => k[kind]('*')))) out.push(...found);
      return out;
    },
    config(overrides: Record<string, string> = {}): Config {
      return loadConfig({ REDIS_URL, ...redisLayoutEnv, KEY_PREFIX: prefix, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...overrides });
    },
    async start(overrides: Record<string, string> = {}): Promise<RunningService & { url: string }> {
      const config = this.config(overrides);
      const service = await startService(config, createLogger(config.LOG_LEVEL));
      return Object.assign(service, { url: `http://127.0.0.1:${service.port}` });
    },
    /** Runs the service as a child process, for tests that kill it. */
    spawn(overrides: Record<string, string> = {}): ChildProcess {
      const env = { ...process.env, REDIS_URL, ...redisLayoutEnv, KEY_PREFIX: prefix, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...overrides };
      return spawn(process.execPath, ['--import', 'tsx', 'src/runtime/main.ts'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    },
    /** Runs the whole service as a child process on a free port and waits until it is ready. */
    async spawnReady(overrides: Record<string, string> = {}) {
      const port = await freePort();
      const child = this.spawn({ PORT: String(port), ...overrides });
      const url = `http://127.0.0.1:${port}`;
      await vi.waitFor(async () => expect((await fetch(`${url}/ready`)).status).toBe(200), { timeout: 60_000, interval: 100 });
      return {
        url,
        child,
        async stop(signal: NodeJS.Signals = 'SIGTERM') {
          if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
          const exited = once(child, 'exit');
          child.kill(signal);
          return (await exited)[0] as number | null;
        },
      };
    },
    /** Deletes only what this test created. */
    async cleanup(): Promise<void> {
      await deletePrefix(redis, prefix);
      redis.disconnect();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function postSamples(url: string, samples: unknown[]) {
  const res = await fetch(`${url}/v1/samples`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ samples }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function getJson(url: string) {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

export { freePort };

/**
 * Account-filtered vector searches: their answers depend only on that account's prompts (word-match
 * scores also depend on how many prompts the whole index holds, so they are left out).
 */
export function accountSearches(url: string, queries: readonly (readonly [text: string, accountId: string])[]) {
  return Promise.all(queries.map(async ([text, accountId]) => (await getJson(`${url}/v1/search?text=${encodeURIComponent(text)}&k=3&accountId=${accountId}&mode=vector`)).body));
}

/** One in-process service per test file, started before its tests and cleaned up after them. */
export async function serviceUnderTest(name: string, overrides: Record<string, string> = {}) {
  const env = await testEnv(name);
  let running: (RunningService & { url: string }) | undefined;
  beforeAll(async () => {
    running = await env.start(overrides);
  });
  afterAll(async () => {
    await running?.stop();
    await env.cleanup();
  });
  return { env, service: () => running! };
}
