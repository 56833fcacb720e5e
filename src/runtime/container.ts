import type { Redis } from 'ioredis';
import { createRedis } from '../adapters/redis/client.js';
import { PostgresPromptArchive } from '../adapters/postgres/postgres-prompt-archive.js';
import type { Logger } from 'pino';
import { Queues } from '../../jobs/registry.js';
import { loadCalibration, loadDetectionParams, loadDetector, loadTaxonomy } from '../adapters/files/model-files.js';
import { RedisAccountStore } from '../adapters/redis/redis-account-store.js';
import { RedisCampaignStore } from '../adapters/redis/redis-campaign-store.js';
import { RedisFleetStore } from '../adapters/redis/redis-fleet-store.js';
import { RedisVerdictStore } from '../adapters/redis/redis-verdict-store.js';
import { assertLayout, redisKeys, type RedisKeys } from '../adapters/redis/schema.js';
import { assertStoreModel, RedisPromptStore } from '../adapters/redis/redis-prompt-store.js';
import { TaxonomySource } from '../adapters/redis/taxonomy-source.js';
import { createTransformersEmbedder } from '../adapters/transformers/transformers-embedder.js';
import type { Embedder } from '../model/ports/embedder.js';
import type { Calibration } from '../model/scoring/calibration.js';
import { buildClassifier, type Classifier } from '../model/scoring/classifier.js';
import type { DetectionParams } from '../model/scoring/detection-params.js';
import type { Detector } from '../model/scoring/detector.js';
import { redisLayout, type Config } from './config.js';
import { Lifecycle } from './lifecycle.js';

/**
 * Where the container runs: `http` (the main thread: API, index, fails fast while Redis is away),
 * `workers` (the ingest thread's queue workers: wait Redis out), `offline` (`scan`, `eval` and the
 * other tools: no Redis at all, the taxonomy from its file).
 */
export type Role = 'http' | 'workers' | 'offline';

export interface Stores {
  prompts: RedisPromptStore;
  accounts: RedisAccountStore;
  campaigns: RedisCampaignStore;
  fleet: RedisFleetStore;
  verdicts: RedisVerdictStore;
}

export interface Container {
  readonly config: Config;
  readonly role: Role;
  readonly logger: Logger;
  /** Everything started through the container, stopped in reverse by `lifecycle.stopAll`. */
  readonly lifecycle: Lifecycle;
  readonly keys: RedisKeys;
  redis(): Promise<Redis>;
  queues(): Promise<Queues>;
  /** The stores over this role's connection, for prompts embedded by `model` (checked against what the prefix holds). */
  stores(model: { id: string; dimension: number }): Promise<Stores>;
  /** An in-process embedder (the workers' thread and the offline tools; the API embeds on the ingest thread). */
  embedder(): Promise<Embedder>;
  /** Live roles follow the taxonomy stored in Redis (edited through the API); offline reads TAXONOMY_FILE. */
  classifier(embedder: Embedder): Promise<() => Promise<Classifier>>;
  detector(): Promise<Detector>;
  params(): Promise<DetectionParams>;
  calibration(): Promise<Calibration>;
}

/** Memoises an async factory: each part is built once, however many callers ask for it. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

/**
 * The one composition root: the main thread, the ingest thread and the offline tools all build
 * their parts here from one Config, and everything with a connection or a timer is registered on
 * the lifecycle as it starts, so shutdown is the reverse of startup.
 */
export function buildContainer(config: Config, role: Role, logger: Logger): Container {
  const lifecycle = new Lifecycle(logger);
  const keys = redisKeys(config.KEY_PREFIX, redisLayout(config));

  const redis = once(async () => {
    if (role === 'offline') throw new Error('the offline tools run without Redis');
    return lifecycle.start(
      'redis',
      async () => {
        // The HTTP side answers 503 while Redis is away instead of queueing requests in memory;
        // workers wait it out and resume their jobs when it returns.
        const target = { url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES };
        const client =
          role === 'http'
            ? createRedis(target, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 })
            : createRedis(target, { lazyConnect: true, maxRetriesPerRequest: null });
        client.on('error', (err) => logger.warn({ err: err.message, role }, 'redis connection error'));
        await client.connect();
        return client;
      },
      (client) => client.quit().then(() => undefined, () => client.disconnect()),
    );
  });

  const queues = once(async () => {
    const conn = await redis();
    return lifecycle.start(
      'queues',
      () => new Queues(conn, keys.queuePrefix, (err, queue) => logger.warn({ err: err.message, queue }, 'queue connection error')),
      (q) => q.close(),
    );
  });

  const archive = once(async () => {
    const url = config.ARCHIVE_URL;
    if (!url) return undefined;
    return lifecycle.start('prompt archive', () => PostgresPromptArchive.open(url, config.KEY_PREFIX), (a) => a.close());
  });

  const params = once(() => loadDetectionParams(config.DETECTION_PARAMS_FILE));
  const calibration = once(() => loadCalibration(config.CALIBRATION_FILE));

  return {
    config,
    role,
    logger,
    lifecycle,
    keys,
    redis,
    queues,
    async stores(model) {
      const conn = await redis();
      const prompts = new RedisPromptStore(conn, keys, model, await archive());
      await assertLayout(conn, keys);
      await assertStoreModel(prompts, config.KEY_PREFIX, model);
      return {
        prompts,
        accounts: new RedisAccountStore(conn, keys, prompts),
        campaigns: new RedisCampaignStore(conn, keys),
        fleet: new RedisFleetStore(conn, keys),
        verdicts: new RedisVerdictStore(conn, keys),
      };
    },
    embedder: once(() => createTransformersEmbedder({ modelsDir: config.MODELS_DIR, model: config.EMBED_MODEL, batchSize: config.EMBED_BATCH_SIZE })),
    async classifier(embedder) {
      if (role === 'offline') {
        const fixed = await buildClassifier(await loadTaxonomy(config.TAXONOMY_FILE), embedder);
        return async () => fixed;
      }
      const source = new TaxonomySource(await redis(), keys, config.TAXONOMY_FILE, embedder);
      await source.current();
      return () => source.current();
    },
    detector: once(() => loadDetector({ promptModel: config.PROMPT_MODEL_FILE, params: config.DETECTION_PARAMS_FILE, calibration: config.CALIBRATION_FILE })),
    params,
    calibration,
  };
}
