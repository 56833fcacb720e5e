import { z } from 'zod';
import { SCOPES } from './http/scopes.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const apiKey = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'key names are 1-64 letters, digits, _ . or -'),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits (npm run keys:hash -- <key>)'),
    scopes: z.array(z.enum(SCOPES)).min(1, 'a key needs at least one scope'),
    /** Overrides RATE_LIMIT_RPS / RATE_LIMIT_BURST for this key. */
    rps: z.number().min(0).optional(),
    burst: z.number().int().min(1).optional(),
  })
  .strict();

/** A variable holding JSON, parsed before its schema checks it; `shape` says what it should hold. */
const jsonVariable = (name: string, shape: string) =>
  z.string().transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: `${name} must be a JSON array of ${shape}`, fatal: true });
      return z.NEVER;
    }
  });

// Only hashes are configured, so a leaked environment does not leak usable keys.
const apiKeys = jsonVariable('API_KEYS', '{"name","sha256","scopes"}')
  .pipe(z.array(apiKey))
  .refine((keys) => new Set(keys.map((k) => k.name)).size === keys.length, 'API_KEYS names must be unique')
  .refine((keys) => new Set(keys.map((k) => k.sha256)).size === keys.length, 'API_KEYS hashes must be unique');

// Model releases the operator announces, for release-pivot monitoring.
const releases = jsonVariable('MODEL_RELEASES', '{"name","at"}')
  .pipe(
    z.array(
      z
        .object({ name: z.string().regex(/^[A-Za-z0-9_.:/-]{1,100}$/, 'release names are 1-100 letters, digits or _ . : / -'), at: z.string().datetime({ offset: true }) })
        .strict()
        .transform((r) => ({ name: r.name.toLowerCase(), at: Date.parse(r.at) })),
    ),
  )
  .refine((rs) => new Set(rs.map((r) => r.name)).size === rs.length, 'MODEL_RELEASES names must be unique');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /**
   * Some nodes of a Redis Cluster (`host:port,host:port`); when set, the service talks to the
   * cluster (REDIS_URL is ignored), discovering the other nodes from these.
   */
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, 'REDIS_CLUSTER_NODES is a comma-separated list of host:port')
    .transform((s) => s.split(',').map((n) => ({ host: n.slice(0, n.lastIndexOf(':')), port: Number(n.slice(n.lastIndexOf(':') + 1)) })))
    .optional(),
  /**
   * Slot groups the account state is split over (schema.ts): on a cluster, how many masters it
   * can spread over. Fixed once data is written (the service refuses to start on another count);
   * unset means 1 on one Redis and 16 on a cluster.
   */
  REDIS_SHARDS: z.coerce.number().int().min(1).max(1024).optional(),
  /**
   * Index shards: with more than one, this process's search index holds only the prompts of the
   * Redis shards s with s % INDEX_SHARDS = INDEX_SHARD, so INDEX_SHARDS processes (each with its
   * replicas) hold more vectors than one machine could. Needs REDIS_SHARDS >= INDEX_SHARDS.
   */
  INDEX_SHARDS: z.coerce.number().int().min(1).max(1024).default(1),
  INDEX_SHARD: z.coerce.number().int().min(0).default(0),
  /**
   * Base URLs of one process (or load balancer) per index shard, comma-separated: this process's
   * /v1/search then asks every shard (their /v1/search/shard) and merges the answers.
   */
  SEARCH_SHARD_URLS: z
    .string()
    .transform((s) => s.split(',').map((u) => u.trim().replace(/\/+$/, '')))
    .pipe(z.array(z.string().url('SEARCH_SHARD_URLS is a comma-separated list of URLs')).min(1))
    .optional(),
  /**
   * PostgreSQL for prompt text and metadata (postgres://user@host/db): with it, Redis keeps records,
   * counters and queues, and the bodies (most of a prompt's bytes) live in table prompt_bodies.
   */
  ARCHIVE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'ARCHIVE_URL must be a postgres:// URL').optional(),
  /** How long a fanned-out search waits for each shard before answering 503. */
  SEARCH_SHARD_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  /** Namespaces every Redis key and queue, so several deployments (or tests) share one Redis. */
  KEY_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{1,40}$/, 'letters, digits, _ and - only')
    .default('dr'),
  /** `all` runs API and workers in one process; `api` and `worker` split them across machines. */
  ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  DATA_DIR: z.string().default(path.join(repoRoot, 'data')),
  MODELS_DIR: z.string().default(path.join(repoRoot, 'models')),
  /** The built analyst workspace served at /ui (`npm run build:ui`, run by `npm ci`). */
  UI_DIR: z.string().default(path.join(repoRoot, 'dist', 'ui')),
  EMBED_MODEL: z.string().min(1).default('glove-sif-100d'),
  EMBED_BATCH_SIZE: z.coerce.number().int().min(1).max(4096).default(256),
  /** How long a worker's hold on a job lasts without renewal; a killed worker's jobs are retried after it. */
  JOB_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  MAX_BATCH_SAMPLES: z.coerce.number().int().min(1).max(10_000).default(1000),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(8 * 1024 * 1024),
  MAX_TEXT_CHARS: z.coerce.number().int().min(1).default(32_000),
  TAXONOMY_FILE: z.string().default(path.join(repoRoot, 'models', 'taxonomy', 'taxonomy.json')),
  /** Tier thresholds from organic traffic (`npm run calibrate`). */
  CALIBRATION_FILE: z.string().default(path.join(repoRoot, 'models', 'calibration.json')),
  /** The reporting provider named in shared STIX bundles. */
  STIX_PROVIDER: z.string().min(1).default('distill-radar'),
  /** HMAC key for payment fingerprints and template lines in shared indicators; without it they are left out. */
  INDICATOR_SALT: z.string().min(16, 'INDICATOR_SALT must be at least 16 characters').optional(),
  /** The per-prompt curriculum model (`npm run train`). */
  PROMPT_MODEL_FILE: z.string().default(path.join(repoRoot, 'models', 'prompt-model.json')),
  /** Detection tunables, each with its reason. */
  DETECTION_PARAMS_FILE: z.string().default(path.join(repoRoot, 'models', 'detection.json')),
  /** Accounts with new prompts are rescored at most once per interval. */
  SCORE_INTERVAL_MS: z.coerce.number().int().min(100).default(1000),
  SCORE_MAX_ACCOUNTS_PER_SWEEP: z.coerce.number().int().min(1).max(100_000).default(2000),
  /** Model releases to watch for campaigns pivoting to them, e.g. [{"name":"model-next","at":"2026-05-22T00:00:00Z"}]. */
  MODEL_RELEASES: releases.default('[]'),
  /** How often accounts are re-clustered into campaigns from their link keys (the fleet monitor runs with it). */
  CAMPAIGN_INTERVAL_MS: z.coerce.number().int().min(100).default(10_000),
  /** Prompts older than this many days leave Redis and the index; 0 keeps everything. */
  RETENTION_DAYS: z.coerce.number().int().min(0).default(0),
  RETENTION_INTERVAL_MS: z.coerce.number().int().min(100).default(3_600_000),
  WEBHOOK_URL: z.string().url().optional(),
  WEBHOOK_SECRET: z.string().min(16, 'WEBHOOK_SECRET must be at least 16 characters').optional(),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  HNSW_M: z.coerce.number().int().min(4).max(128).default(16),
  HNSW_EF_CONSTRUCTION: z.coerce.number().int().min(10).max(2000).default(100),
  HNSW_EF_SEARCH: z.coerce.number().int().min(10).max(2000).default(64),
  /**
   * Cosine similarity at which a new prompt joins its nearest prompt's cluster in the analysts'
   * cluster view: 0.9 keeps one task's rewordings and templated variants together while unrelated
   * requests that share a topic stay apart on the default 100-d model (raise it for finer clusters).
   */
  CLUSTER_SIMILARITY: z.coerce.number().min(0).max(1).default(0.9),
  /** How often the index owner writes a snapshot, so a restart replays only the tail of the log. */
  SNAPSHOT_INTERVAL_S: z.coerce.number().int().min(1).default(60),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  METRICS_ENABLED: bool.default('true'),
  /** `keys` or `none`; unset means `keys` when NODE_ENV=production, `none` otherwise. */
  AUTH: z.enum(['keys', 'none']).optional(),
  API_KEYS: apiKeys.default('[]'),
  /** Whether /metrics needs a key (any configured key will do). */
  METRICS_AUTH: bool.default('false'),
  /** Refuse to start unless Redis keeps what the API acknowledges (AOF with fsync, no eviction). */
  REQUIRE_DURABLE_REDIS: bool.default('false'),
  /** Sustained requests per second per key; 0 turns rate limiting off. */
  RATE_LIMIT_RPS: z.coerce.number().min(0).default(50),
  /** Requests a key may send at once after being idle; unset means twice RATE_LIMIT_RPS. */
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).optional(),
});

const refined = schema
  .refine((c) => !c.WEBHOOK_URL || c.WEBHOOK_SECRET, {
    message: 'WEBHOOK_SECRET is required when WEBHOOK_URL is set (deliveries are signed)',
    path: ['WEBHOOK_SECRET'],
  })
  .transform((c) => ({ ...c, REDIS_CLUSTER_NODES: c.REDIS_CLUSTER_NODES ?? [], REDIS_SHARDS: c.REDIS_SHARDS ?? (c.REDIS_CLUSTER_NODES ? 16 : 1) }))
  .refine((c) => c.INDEX_SHARD < c.INDEX_SHARDS, { message: 'INDEX_SHARD must be below INDEX_SHARDS (shards are numbered from 0)', path: ['INDEX_SHARD'] })
  .refine((c) => c.INDEX_SHARDS <= c.REDIS_SHARDS, { message: 'INDEX_SHARDS cannot exceed REDIS_SHARDS: an index shard follows whole Redis shards', path: ['INDEX_SHARDS'] })
  // Running without keys must be asked for: production configuration never falls into it silently.
  .transform((c) => ({ ...c, AUTH: c.AUTH ?? (c.NODE_ENV === 'production' ? 'keys' : 'none') }) as typeof c & { AUTH: 'keys' | 'none' })
  .refine((c) => c.AUTH === 'none' || c.ROLE === 'worker' || c.API_KEYS.length > 0, {
    message: 'API_KEYS is required when AUTH=keys (the default with NODE_ENV=production); set AUTH=none to run without keys',
    path: ['API_KEYS'],
  });

export type Config = z.output<typeof refined>;
export type ApiKey = Config['API_KEYS'][number];

export class ConfigError extends Error {}

/** The only place that reads process.env; everything else receives a Config. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = refined.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** How the Redis keys are laid out (RedisLayout in schema.ts): tagged for a cluster, and over how many shards. */
export function redisLayout(config: Config): { shards: number; tagged: boolean } {
  return { shards: config.REDIS_SHARDS, tagged: config.REDIS_CLUSTER_NODES.length > 0 };
}
