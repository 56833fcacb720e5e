import type { Server } from 'node:http';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { IndexFollower } from '../adapters/hnsw/index-follower.js';
import { readEvents } from '../adapters/redis/outbox.js';
import { shardSearchClient } from '../adapters/search-shards/shard-client.js';
import { redisOutage } from '../adapters/redis/outage.js';
import { checkDurability } from '../adapters/redis/durability.js';
import { activeTaxonomy, storeTaxonomy } from '../adapters/redis/taxonomy-source.js';
import type { Config } from './config.js';
import { buildContainer } from './container.js';
import { fleetReader } from './fleet-reader.js';
import { createApp, type ApiDeps } from './http/app.js';
import { redisRateLimiter } from './http/rate-limit.js';
import { createMetrics, registerFleetGauges } from './metrics.js';
import { startIngestThread } from './threads/ingest-thread.js';

export interface RunningService {
  /** The bound port (useful with PORT=0). */
  port: number;
  index?: IndexFollower;
  stop(): Promise<void>;
}

/**
 * The main thread: the API and the search index, with the ingest thread (embedding and, unless
 * ROLE=api, the queue workers) beside it. Parts are built by the composition root and started in
 * order; `stop` stops them in reverse within SHUTDOWN_TIMEOUT_MS: no new requests, then the index
 * persisted, then no new jobs, then Redis let go.
 */
export async function startService(config: Config, logger: Logger): Promise<RunningService> {
  const c = buildContainer(config, 'http', logger);
  const metrics = createMetrics();
  const runsApi = config.ROLE !== 'worker';
  try {
    const redis = await c.redis();
    const durability = await checkDurability(redis);
    if (durability.problems.length && config.REQUIRE_DURABLE_REDIS) {
      throw new Error(`REQUIRE_DURABLE_REDIS=true and Redis can lose acknowledged samples: ${durability.problems.join('; ')}`);
    }
    if (durability.problems.length) logger.warn({ problems: durability.problems }, 'Redis can lose samples the API acknowledged (202); see the README, Durability');
    else logger.info({ settings: durability.settings, canLose: durability.window }, 'Redis persistence checked');
    const thread = await c.lifecycle.start('ingest thread', () => startIngestThread({ config, runWorkers: config.ROLE !== 'api' }), (t) => t.close());
    const embedder = thread.embedder;
    const model = { id: embedder.modelId, dimension: embedder.dimension };
    const stores = await c.stores(model);
    const params = await c.params();

    let search: ApiDeps['search'];
    let index: IndexFollower | undefined;
    if (runsApi) {
      const queues = await c.queues();
      // Opened now, so its error listener is in place before any outage.
      queues.get('ingest');
      const follower = await c.lifecycle.start(
        'index',
        async () => {
          let opened: IndexFollower | undefined;
          const sharded = config.INDEX_SHARDS > 1;
          const i = (opened = await IndexFollower.open({
            redis,
            keys: c.keys,
            ...(sharded ? { logShards: c.keys.shards.filter((k) => k.shard % config.INDEX_SHARDS === config.INDEX_SHARD) } : {}),
            dataDir: path.join(config.DATA_DIR, 'index', config.KEY_PREFIX, ...(sharded ? [`shard-${config.INDEX_SHARD}-of-${config.INDEX_SHARDS}`] : [])),
            // One name per machine and data dir: a restarted replica is the same follower.
            followerId: `${hostname()}:${path.resolve(config.DATA_DIR)}`,
            model,
            hnsw: { m: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION, efSearch: config.HNSW_EF_SEARCH },
            snapshotIntervalMs: config.SNAPSHOT_INTERVAL_S * 1000,
            clusterSimilarity: config.CLUSTER_SIMILARITY,
            logger,
            // Called while the log replays too, before `open` returns.
            onApplied: () => metrics.indexSize.set(opened?.prompts.size ?? 0),
          }));
          await i.start();
          return i;
        },
        (i) => i.stop(),
      );
      index = follower;
      metrics.indexSize.set(follower.prompts.size);
      registerFleetGauges(metrics.registry, fleetReader(stores.fleet, stores.campaigns));
      search = {
        embedder,
        store: stores.prompts,
        queues,
        index: follower,
        accounts: stores.accounts,
        campaigns: stores.campaigns,
        fleet: stores.fleet,
        verdicts: stores.verdicts,
        fleetMonitor: params.fleetMonitor,
        taxonomy: { active: () => activeTaxonomy(redis, c.keys, config.TAXONOMY_FILE), store: (t) => storeTaxonomy(redis, c.keys, t) },
        calibration: await c.calibration(),
        actionRules: params.actions,
        events: (after: string, limit: number) => readEvents(redis, c.keys, after, limit),
        ...(config.SEARCH_SHARD_URLS ? { shards: shardSearchClient(config.SEARCH_SHARD_URLS, config.SEARCH_SHARD_TIMEOUT_MS) } : {}),
      };
    }

    const app = createApp({
      config,
      logger,
      metrics,
      ping: async () => void (await redis.ping()),
      isOutage: redisOutage(redis),
      threadMetrics: () => thread.metrics(),
      threadFailure: () => thread.failure(),
      model: `${model.id} (${model.dimension}-d)`,
      limiter: redisRateLimiter(redis, c.keys, config),
      ...(search ? { search } : {}),
    });
    const server = await c.lifecycle.start(
      'http',
      () => new Promise<Server>((resolve) => {
        const s = app.listen(config.PORT, config.HOST, () => resolve(s));
      }),
      (s) => new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeIdleConnections();
      }),
    );
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    logger.info({ port, role: config.ROLE, model: model.id, prefix: config.KEY_PREFIX }, 'distill-radar started');
    return {
      port,
      ...(index ? { index } : {}),
      async stop() {
        await c.lifecycle.stopAll(config.SHUTDOWN_TIMEOUT_MS);
        logger.info('distill-radar stopped');
      },
    };
  } catch (err) {
    // Whatever started before the failure is stopped again, in reverse.
    await c.lifecycle.stopAll(config.SHUTDOWN_TIMEOUT_MS);
    throw err;
  }
}
