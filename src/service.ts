import type { Server } from 'node:http';
import path from 'node:path';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Queues } from '../jobs/registry.js';
import { createApp } from './api/app.js';
import type { Config } from './config.js';
import type { Embedder } from './domain/embedder.js';
import { createThreadedEmbedder } from './embedding/threaded-embedder.js';
import { createMetrics, instrumentEmbedder } from './metrics.js';
import { IndexFollower } from './stores/index-follower.js';
import { redisKeys } from './stores/redis-keys.js';
import { RedisPromptStore } from './stores/redis-prompt-store.js';
import { startWorkers } from './workers.js';

export interface RunningService {
  /** The bound port (useful with PORT=0). */
  port: number;
  index?: IndexFollower;
  stop(): Promise<void>;
}

export class StartupError extends Error {}

/** Wires the defaults in one place: config in, a running API and/or workers out. */
export async function startService(config: Config, logger: Logger, overrides: { embedder?: Embedder } = {}): Promise<RunningService> {
  const metrics = createMetrics();
  const keys = redisKeys(config.KEY_PREFIX);
  const runsApi = config.ROLE !== 'worker';
  const runsWorkers = config.ROLE !== 'api';

  // Requests fail fast while Redis is away (the API answers 503) instead of queueing in memory.
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  await redis.connect();
  // Workers wait out a Redis outage instead: their jobs resume when it returns.
  const workerRedis = runsWorkers ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: null }) : undefined;
  workerRedis?.on('error', (err) => logger.warn({ err: err.message }, 'worker redis connection error'));

  // One embed thread per process serves ingest and search queries: tokenising is CPU-bound and
  // belongs off the thread that answers HTTP and owns the index, and onnxruntime-node must not be
  // loaded by two threads of one process.
  const embedThread = overrides.embedder
    ? undefined
    : await createThreadedEmbedder({ modelsDir: config.MODELS_DIR, model: config.EMBED_MODEL, batchSize: config.EMBED_BATCH_SIZE });
  const embedder = instrumentEmbedder(overrides.embedder ?? embedThread!, metrics);
  const model = { id: embedder.modelId, dimension: embedder.dimension };
  const store = new RedisPromptStore(redis, keys, model);
  const held = await store.storedModel();
  if (held && (held.model !== model.id || held.dimension !== model.dimension)) {
    throw new StartupError(
      `Redis prefix ${config.KEY_PREFIX} holds vectors from ${held.model} (${held.dimension}-d) but EMBED_MODEL is ${model.id}; ` +
        'use the same model or another KEY_PREFIX',
    );
  }

  let index: IndexFollower | undefined;
  let queues: Queues | undefined;
  if (runsApi) {
    queues = new Queues(redis, config.KEY_PREFIX);
    index = await IndexFollower.open({
      redis,
      keys,
      dataDir: path.join(config.DATA_DIR, 'index', config.KEY_PREFIX),
      model,
      hnsw: { m: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION, efSearch: config.HNSW_EF_SEARCH },
      snapshotIntervalMs: config.SNAPSHOT_INTERVAL_S * 1000,
      logger,
      onApplied: () => metrics.indexSize.set(index?.prompts.size ?? 0),
    });
    await index.start();
    metrics.indexSize.set(index.prompts.size);
  }

  let workers: Worker[] = [];
  if (workerRedis) {
    const workerStore = new RedisPromptStore(workerRedis, keys, model);
    workers = startWorkers({ connection: workerRedis, prefix: config.KEY_PREFIX, concurrency: config.INGEST_CONCURRENCY, lockMs: config.JOB_LOCK_MS, embedder, store: workerStore, metrics, logger });
  }

  const app = createApp({
    config,
    logger,
    metrics,
    ping: async () => void (await redis.ping()),
    ...(index && queues ? { search: { embedder, store, queues, index } } : {}),
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ port, role: config.ROLE, model: model.id, prefix: config.KEY_PREFIX }, 'distill-radar started');

  return {
    port,
    index,
    // Order matters: no new requests, then no new jobs, then persist the index, then let go of Redis.
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await Promise.all(workers.map((w) => w.close()));
      await embedThread?.close();
      await index?.stop();
      await queues?.close();
      await Promise.all([redis.quit().catch(() => redis.disconnect()), workerRedis?.quit().catch(() => workerRedis.disconnect())]);
      logger.info('distill-radar stopped');
    },
  };
}
