import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A port nothing listens on right now, for a service this process starts on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

/**
 * The service as a child process on a free loopback port, with a data dir of its own, once it
 * answers /ready (within 120 s; an exit before that is an error). `stop` sends SIGTERM, then SIGKILL
 * after 30 s, and removes the data dir.
 */
export async function startLocalService(env: Record<string, string>) {
  // A caller that must name the URL before the service starts (an index shard's router) picks the port.
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'dr-local-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/runtime/main.ts'], {
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env, PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = once(child, 'exit');
  let exitCode: number | null | undefined;
  void exited.then(([code]) => (exitCode = code as number | null));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exitCode === undefined) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  const readyBy = Date.now() + 120_000;
  try {
    while (!(await fetch(`${url}/ready`).then((r) => r.ok, () => false))) {
      if (exitCode !== undefined) throw new Error(`service (ROLE=${env.ROLE ?? 'all'}) exited with ${exitCode} before it was ready`);
      if (Date.now() > readyBy) throw new Error('service not ready within 120 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop };
}
