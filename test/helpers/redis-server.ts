import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { freePort, testEnv } from './service.js';

/**
 * A redis-server of the test's own on a free port, for tests that stop Redis; the shared one on 6379
 * is never touched. By default no background persistence: `stop` saves on the way down (SHUTDOWN
 * SAVE) and `start` loads it again, like a production Redis restarted with its data. With
 * `appendfsync`, it keeps an append-only file synced that way, and `kill` crashes it (SIGKILL, no
 * save): `start` then recovers from the file alone.
 */
export async function startRedisServer(opts: { appendfsync?: 'always' | 'everysec' } = {}) {
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'dr-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let proc: ChildProcess | undefined;

  async function start(): Promise<void> {
    const persistence = opts.appendfsync ? ['--appendonly', 'yes', '--appendfsync', opts.appendfsync] : ['--appendonly', 'no'];
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--maxmemory-policy', 'noeviction', '--dir', dir], { stdio: 'ignore' });
    await vi.waitFor(async () => {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined); // refused until the server listens; connect() reports it
      try {
        await probe.connect();
        expect(await probe.ping()).toBe('PONG');
      } finally {
        probe.disconnect();
      }
    }, { timeout: 10_000, interval: 50 });
  }

  async function stop(): Promise<void> {
    if (!proc || proc.exitCode !== null) return;
    const exited = once(proc, 'exit');
    const admin = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    await admin.call('SHUTDOWN', 'SAVE').catch(() => undefined);
    admin.disconnect();
    await exited;
  }

  async function kill(): Promise<void> {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = once(proc, 'exit');
    proc.kill('SIGKILL');
    await exited;
  }

  await start();
  return {
    url,
    start,
    stop,
    kill,
    async destroy(): Promise<void> {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The service under test on a redis-server of its own (tests that stop or kill Redis): the server,
 * a client of the test's on it that waits out its absence, and the service, started before the
 * tests and stopped, cleaned and destroyed after them.
 */
export async function serviceOnOwnRedis(name: string, server: Parameters<typeof startRedisServer>[0], overrides: Record<string, string>) {
  const redisServer = await startRedisServer(server);
  // Its own single server, whatever layout the suite runs on.
  const env = await testEnv(name, { REDIS_CLUSTER_NODES: '' });
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined); // the server going away is the point
  let service: Awaited<ReturnType<typeof env.start>> | undefined;
  beforeAll(async () => {
    service = await env.start({ REDIS_URL: redisServer.url, ...overrides });
  });
  afterAll(async () => {
    await service?.stop();
    redis.disconnect();
    await env.cleanup();
    await redisServer.destroy();
  });
  return { redisServer, env, redis, service: () => service! };
}
