import { loadCalibration, loadDetectionParams } from '../adapters/files/model-files.js';
import type { Server } from 'node:http';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Queues } from '../../jobs/registry.js';
import { createApp } from './http/app.js';
import { redisRateLimiter } from './http/rate-limit.js';
import type { Config } from './config.js';
import { startIngestThread, type IngestThread } from './threads/ingest-thread.js';
import { createMetrics, registerFleetGauges } from './metrics.js';
import { fleetReader } from './fleet-reader.js';
import { RedisFleetStore } from '../adapters/redis/redis-fleet-store.js';
import { IndexFollower } from '../adapters/hnsw/index-follower.js';
import { redisKeys } from '../adapters/redis/redis-keys.js';
import { assertStoreModel, RedisPromptStore } from '../adapters/redis/redis-prompt-store.js';
import { RedisAccountStore } from '../adapters/redis/redis-account-store.js';
import { RedisCampaignStore } from '../adapters/redis/redis-campaign-store.js';
import { readEvents } from '../adapters/redis/event-relay.js';

export interface RunningService {
  /** The bound port (useful with PORT=0). */
  port: number;
  index?: IndexFollower;
  stop(): Promise<void>;
}

/** Wires the defaults in one place: config in, a running API and/or workers out. */
export async function startService(config: Config, logger: Logger): Promise<RunningService> {
  const metrics = createMetrics();
  const keys = redisKeys(config.KEY_PREFIX);
  const runsApi = config.ROLE !== 'worker';
  const runsWorkers = config.ROLE !== 'api';

  // API requests fail fast while Redis is away (the API answers 503) instead of queueing in memory.
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  await redis.connect();

  let thread: IngestThread;
  try {
    thread = await startIngestThread({ config, runWorkers: runsWorkers });
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  const embedder = thread.embedder;
  const model = { id: embedder.modelId, dimension: embedder.dimension };
  const store = new RedisPromptStore(redis, keys, model);
  try {
    await assertStoreModel(store, config.KEY_PREFIX, model);
  } catch (err) {
    await thread.close();
    redis.disconnect();
    throw err;
  }

  let index: IndexFollower | undefined;
  let queues: Queues | undefined;
  if (runsApi) {
    queues = new Queues(redis, config.KEY_PREFIX, (err, queue) => logger.warn({ err: err.message, queue }, 'queue connection error'));
    // Opened now, so its error listener is in place before any outage.
    queues.get('ingest');
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

  const params = await loadDetectionParams(config.DETECTION_PARAMS_FILE);
  const campaigns = new RedisCampaignStore(redis, keys);
  const fleet = new RedisFleetStore(redis, keys);
  if (runsApi) registerFleetGauges(metrics.registry, fleetReader(fleet, campaigns));
  const app = createApp({
    config,
    logger,
    metrics,
    ping: async () => void (await redis.ping()),
    threadMetrics: () => thread.metrics(),
    threadFailure: () => thread.failure(),
    model: `${model.id} (${model.dimension}-d)`,
    limiter: redisRateLimiter(redis, config.KEY_PREFIX, config),
    ...(index && queues
      ? {
          search: {
            embedder,
            store,
            queues,
            index,
            accounts: new RedisAccountStore(redis, keys, store),
            campaigns,
            fleet,
            fleetMonitor: params.fleetMonitor,
            redis,
            keys,
            calibration: await loadCalibration(config.CALIBRATION_FILE),
            actionRules: params.actions,
            events: (after: string, limit: number) => readEvents(redis, keys, after, limit),
          },
        }
      : {}),
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
      await thread.close();
      await index?.stop();
      await queues?.close();
      await redis.quit().catch(() => redis.disconnect());
      logger.info('distill-radar stopped');
    },
  };
}
