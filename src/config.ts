import { z } from 'zod';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Namespaces every Redis key and queue, so several deployments (or tests) share one Redis. */
  KEY_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{1,40}$/, 'letters, digits, _ and - only')
    .default('dr'),
  /** `all` runs API and workers in one process; `api` and `worker` split them across machines. */
  ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  DATA_DIR: z.string().default(path.join(repoRoot, 'data')),
  MODELS_DIR: z.string().default(path.join(repoRoot, 'models')),
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
  /** Accounts with new prompts are rescored at most once per interval. */
  SCORE_INTERVAL_MS: z.coerce.number().int().min(100).default(1000),
  SCORE_MAX_ACCOUNTS_PER_SWEEP: z.coerce.number().int().min(1).max(100_000).default(2000),
  WEBHOOK_URL: z.string().url().optional(),
  WEBHOOK_SECRET: z.string().min(16, 'WEBHOOK_SECRET must be at least 16 characters').optional(),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  HNSW_M: z.coerce.number().int().min(4).max(128).default(16),
  HNSW_EF_CONSTRUCTION: z.coerce.number().int().min(10).max(2000).default(100),
  HNSW_EF_SEARCH: z.coerce.number().int().min(10).max(2000).default(64),
  /** How often the index owner writes a snapshot, so a restart replays only the tail of the log. */
  SNAPSHOT_INTERVAL_S: z.coerce.number().int().min(1).default(60),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  METRICS_ENABLED: bool.default('true'),
});

export type Config = z.infer<typeof schema>;

const refined = schema.refine((c) => !c.WEBHOOK_URL || c.WEBHOOK_SECRET, {
  message: 'WEBHOOK_SECRET is required when WEBHOOK_URL is set (deliveries are signed)',
  path: ['WEBHOOK_SECRET'],
});

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
