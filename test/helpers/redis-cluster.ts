import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { expect, vi } from 'vitest';
import { freePort } from './service.js';

/**
 * A Redis Cluster of the test's own: `masters` redis-server processes with cluster mode on (each
 * with its cluster bus on a free port of its own), joined by `redis-cli --cluster create` with the
 * slots spread evenly, and ready once every node reports `cluster_state:ok`.
 */
export async function startRedisCluster(masters = 3) {
  const dir = await mkdtemp(path.join(tmpdir(), 'dr-cluster-'));
  const nodes: { port: number; proc: ChildProcess }[] = [];
  for (let i = 0; i < masters; i++) {
    const [port, bus] = [await freePort(), await freePort()];
    const args = ['--port', String(port), '--cluster-port', String(bus), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`];
    const proc = spawn('redis-server', [...args, '--cluster-node-timeout', '5000', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--dir', dir], { stdio: 'ignore' });
    nodes.push({ port, proc });
  }
  const admin = (port: number) => new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  const ask = async (port: number, ...command: [string, ...string[]]) => {
    const r = admin(port);
    r.on('error', () => undefined); // refused until the server listens
    try {
      await r.connect();
      return String(await r.call(...command));
    } finally {
      r.disconnect();
    }
  };
  for (const { port } of nodes) await vi.waitFor(async () => expect(await ask(port, 'PING')).toBe('PONG'), { timeout: 10_000, interval: 50 });
  await promisify(execFile)('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes']);
  for (const { port } of nodes) {
    await vi.waitFor(async () => expect(await ask(port, 'CLUSTER', 'INFO')).toContain('cluster_state:ok'), { timeout: 20_000, interval: 100 });
  }
  return {
    /** For REDIS_CLUSTER_NODES. */
    nodes: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
    ports: nodes.map((n) => n.port),
    async destroy(): Promise<void> {
      await Promise.all(
        nodes.map(async ({ proc }) => {
          if (proc.exitCode !== null || proc.signalCode !== null) return;
          const exited = once(proc, 'exit');
          proc.kill('SIGKILL');
          await exited;
        }),
      );
      await rm(dir, { recursive: true, force: true });
    },
  };
}
