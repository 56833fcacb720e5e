import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { hashKey, keyring } from '../src/runtime/http/auth.js';
import { ConfigError, loadConfig } from '../src/runtime/config.js';
import { REDIS_URL, serviceUnderTest } from './helpers/service.js';

const KEYS = { pipeline: 'k-pipeline-secret', analyst: 'k-analyst-secret', detector: 'k-detector-secret', admin: 'k-admin-secret', slow: 'k-slow-secret' };
const API_KEYS = JSON.stringify([
  { name: 'pipeline', sha256: hashKey(KEYS.pipeline), scopes: ['ingest'] },
  { name: 'analyst', sha256: hashKey(KEYS.analyst), scopes: ['analyst'] },
  { name: 'detector', sha256: hashKey(KEYS.detector), scopes: ['detector'] },
  { name: 'admin', sha256: hashKey(KEYS.admin), scopes: ['admin'] },
  { name: 'slow', sha256: hashKey(KEYS.slow), scopes: ['analyst'], rps: 0.5, burst: 2 },
]);

const { env, service } = await serviceUnderTest('auth', { AUTH: 'keys', API_KEYS, METRICS_AUTH: 'true', RATE_LIMIT_RPS: '0' });

async function call(path: string, key?: string, init: RequestInit = {}) {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await fetch(`${service().url}${path}`, { ...init, headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text.startsWith('{') ? (JSON.parse(text) as { error?: { code: string; message: string } }) : text };
}

const post = (key?: string, promptId = 'p-auth') =>
  call('/v1/samples', key, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ samples: [{ accountId: 'acct-a', promptId, ts: '2026-05-01T12:00:00Z', text: 'Solve x^2 = 4 step by step.' }] }),
  });

describe('API keys and scopes', () => {
  it('keeps /live and /ready open, and /metrics behind any key when METRICS_AUTH=true', async () => {
    expect((await call('/live')).status).toBe(200);
    expect((await call('/ready')).status).toBe(200);
    expect((await call('/metrics')).status).toBe(401);
    expect((await call('/metrics', KEYS.pipeline)).status).toBe(200);
  });

  it.each([
    ['no Authorization header', undefined],
    ['an unknown key', 'not-a-key'],
    ['a key hash instead of the key', hashKey(KEYS.admin)],
  ])('answers 401 with WWW-Authenticate for %s, and stores nothing', async (_, key) => {
    const res = await post(key);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(res.body).toMatchObject({ error: { code: 'unauthorized', message: expect.stringContaining('Authorization: Bearer') } });
  });

  it('answers 401 to another auth scheme', async () => {
    const res = await call('/v1/accounts', undefined, { headers: { authorization: `Basic ${Buffer.from(`x:${KEYS.admin}`).toString('base64')}` } });
    expect(res.status).toBe(401);
  });

  it.each([
    ['pipeline', 'GET', '/v1/search?text=x', 'analyst'],
    ['pipeline', 'GET', '/v1/accounts', 'detector'],
    ['analyst', 'POST', '/v1/samples', 'ingest'],
    ['pipeline', 'GET', '/v1/events', 'detector'],
    ['detector', 'GET', '/v1/prompts/p-auth', 'analyst'],
    ['detector', 'POST', '/v1/samples', 'ingest'],
  ] as const)('answers 403 to the %s key on %s %s, naming the %s scope', async (who, method, path, scope) => {
    const res = method === 'POST' ? await post(KEYS[who]) : await call(path, KEYS[who]);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining(scope) } });
  });

  it('admits each key where its scope allows, and admin everywhere', async () => {
    expect((await post(KEYS.pipeline)).status).toBe(202);
    expect((await call('/v1/search?text=x', KEYS.analyst)).status).toBe(200);
    expect((await call('/v1/accounts', KEYS.detector)).status).toBe(200);
    expect((await call('/v1/events', KEYS.detector)).status).toBe(200);
    // The analyst's workspace reads accounts and events as well as prompts.
    expect((await call('/v1/accounts', KEYS.analyst)).status).toBe(200);
    expect((await call('/v1/events', KEYS.analyst)).status).toBe(200);
    expect((await post(KEYS.admin, 'p-admin')).status).toBe(202);
    expect((await call('/v1/search?text=x', KEYS.admin)).status).toBe(200);
    expect((await call('/v1/accounts', KEYS.admin)).status).toBe(200);
    // Only the two admitted posts reach the store (the rejected ones never claimed anything).
    await vi.waitFor(async () => expect((await env.shardKeys('prompt')).length).toBe(2), { timeout: 10_000, interval: 50 });
    expect(await env.shardKeys('claim')).toEqual([]);
  });

  it('rate-limits per key with 429 and Retry-After, leaving other keys alone', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('/v1/search?text=x', KEYS.slow)).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await call('/v1/search?text=x', KEYS.slow);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body).toMatchObject({ error: { code: 'rate_limited', message: expect.stringContaining('slow') } });
    expect((await call('/v1/search?text=x', KEYS.analyst)).status).toBe(200);
    expect(await env.redis.exists(env.keys.rateLimit('slow'))).toBe(1);
  });
});

describe('auth mode', () => {
  const base = { KEY_PREFIX: 'cfg', REDIS_URL };

  it('defaults to keys in production and refuses to start without API_KEYS', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow(/API_KEYS is required when AUTH=keys/);
    expect(loadConfig({ ...base, NODE_ENV: 'production', API_KEYS }).AUTH).toBe('keys');
    expect(loadConfig({ ...base, NODE_ENV: 'production', AUTH: 'none' }).AUTH).toBe('none');
    expect(loadConfig({ ...base }).AUTH).toBe('none');
  });

  it('names API_KEYS when it is not a valid key list', () => {
    for (const bad of ['not json', '{"name":"x"}', '[{"name":"x","sha256":"abc","scopes":["ingest"]}]', `[{"name":"x","sha256":"${hashKey('a')}","scopes":["root"]}]`]) {
      expect(() => loadConfig({ ...base, API_KEYS: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, API_KEYS: bad })).toThrow(/API_KEYS/);
    }
  });

  it('finds the key a secret hashes to among several', () => {
    const keys = loadConfig({ ...base, API_KEYS }).API_KEYS;
    const find = keyring(keys);
    expect(find(KEYS.detector)?.name).toBe('detector');
    expect(find('k-detector-secreT')).toBeUndefined();
    expect(find('')).toBeUndefined();
  });

  it('npm start warns when auth is off, and exits with a message when production has no keys', async () => {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['AUTH', 'API_KEYS', 'NODE_ENV'].includes(k)));
    const start = (extra: Record<string, string>) =>
      spawn(process.execPath, ['--import', 'tsx', 'src/runtime/main.ts'], {
        env: { ...inherited, REDIS_URL, KEY_PREFIX: env.prefix, DATA_DIR: env.dataDir, PORT: '0', LOG_LEVEL: 'warn', ...extra },
        stdio: ['ignore', 'pipe', 'pipe'],
      });

    const refused = start({ NODE_ENV: 'production' });
    let stderr = '';
    refused.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = await once(refused, 'exit');
    expect(code).toBe(2);
    expect(stderr).toMatch(/API_KEYS is required/);

    const open = start({ NODE_ENV: 'development', AUTH: 'none' });
    let stdout = '';
    await new Promise<void>((resolve) =>
      open.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('AUTH=none')) resolve();
      }),
    );
    const exited = once(open, 'exit');
    open.kill('SIGKILL');
    await exited;
    expect(JSON.parse(stdout.split('\n').find((l) => l.includes('AUTH=none'))!)).toMatchObject({ level: 40 });
  });
});
