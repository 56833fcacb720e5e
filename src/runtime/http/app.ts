import Router from '@koa/router';
import Koa from 'koa';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { Logger } from 'pino';
import type { Queues } from '../../../jobs/registry.js';
import type { Config } from '../config.js';
import type { Embedder } from '../../model/ports/embedder.js';
import type { Metrics } from '../metrics.js';
import type { ShardSearchClient } from '../../adapters/search-shards/shard-client.js';
import type { IndexFollower } from '../../adapters/hnsw/index-follower.js';
import type { RedisPromptStore } from '../../adapters/redis/redis-prompt-store.js';
import type { RedisAccountStore } from '../../adapters/redis/redis-account-store.js';
import type { StoredEvent } from '../../adapters/redis/outbox.js';
import type { ActionRule } from '../../model/scoring/actions.js';
import type { Calibration } from '../../model/scoring/calibration.js';
import { accountRoutes } from './routes/accounts.js';
import { adminRoutes, type AdminRouteDeps } from './routes/admin.js';
import { campaignRoutes } from './routes/campaigns.js';
import type { RedisCampaignStore } from '../../adapters/redis/redis-campaign-store.js';
import type { RedisFleetStore } from '../../adapters/redis/redis-fleet-store.js';
import type { DetectionParams } from '../../model/scoring/detection-params.js';
import { fleetRoutes } from './routes/fleet.js';
import { verdictRoutes } from './routes/verdicts.js';
import { clusterRoutes } from './routes/clusters.js';
import { accountActivityRoutes } from './routes/account-activity.js';
import { umapProjector } from '../../adapters/projection/umap-projector.js';
import type { VerdictStore } from '../../app/verdicts.js';
import { authenticate } from './auth.js';
import { errorsMiddleware } from './errors-middleware.js';
import { healthRoutes } from './routes/health.js';
import { promptRoutes } from './routes/prompts.js';
import { rateLimit, type RateLimiter } from './rate-limit.js';
import { sampleRoutes } from './routes/samples.js';
import { uiFiles } from './ui.js';

export interface ApiDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** Checks the store answers; the API is not ready without it. */
  ping(): Promise<void>;
  /** Whether an error means the store is away (answered 503) rather than a bug (500). */
  isOutage(err: unknown): boolean;
  /** The embedding model, as `/ready` reports it. */
  model: string;
  /** Why the ingest thread (embedding, workers) stopped, if it did. */
  threadFailure(): Error | undefined;
  /** Metrics kept by the ingest thread, served with this thread's. */
  threadMetrics(): Promise<MetricObjectWithValues<MetricValue<string>>[]>;
  limiter: RateLimiter;
  /** Absent in a worker-only process, which serves health and metrics alone. */
  search?: {
    embedder: Embedder;
    store: RedisPromptStore;
    queues: Queues;
    index: IndexFollower;
    accounts: RedisAccountStore;
    campaigns: RedisCampaignStore;
    fleet: RedisFleetStore;
    verdicts: VerdictStore;
    fleetMonitor: DetectionParams['fleetMonitor'];
    taxonomy: AdminRouteDeps['taxonomy'];
    calibration: Calibration;
    /** The configured action rules (models/detection.json), so accounts show what fires for them. */
    actionRules: readonly ActionRule[];
    events(after: string, limit: number): Promise<StoredEvent[]>;
    /** The index shards a text search fans out to (SEARCH_SHARD_URLS). */
    shards?: ShardSearchClient;
  };
}

export function createApp(deps: ApiDeps): Koa {
  const app = new Koa();
  app.proxy = false;
  const router = new Router();
  healthRoutes(router, deps);
  const s = deps.search;
  if (s) {
    sampleRoutes(router, { config: deps.config, logger: deps.logger, metrics: deps.metrics, store: s.store, queues: s.queues });
    promptRoutes(router, { config: deps.config, embedder: s.embedder, index: s.index, store: s.store, campaigns: s.campaigns, ...(s.shards ? { shards: s.shards } : {}) });
    accountRoutes(router, { accounts: s.accounts, campaigns: s.campaigns, verdicts: s.verdicts, clusters: s.index.clusters, calibration: s.calibration, actionRules: s.actionRules, events: s.events });
    accountActivityRoutes(router, { accounts: s.accounts, store: s.store, clusters: s.index.clusters });
    clusterRoutes(router, { clusters: s.index.clusters, vectorOf: (l) => s.index.prompts.vectorOf(l), projector: umapProjector, store: s.store, accounts: s.accounts });
    verdictRoutes(router, { config: deps.config, verdicts: s.verdicts, accounts: s.accounts, campaigns: s.campaigns });
    adminRoutes(router, { config: deps.config, logger: deps.logger, queues: s.queues, taxonomy: s.taxonomy, accounts: s.accounts });
    campaignRoutes(router, { accounts: s.accounts, campaigns: s.campaigns, stix: { provider: deps.config.STIX_PROVIDER, salt: deps.config.INDICATOR_SALT ?? null } });
    fleetRoutes(router, { fleet: s.fleet, campaigns: s.campaigns, fleetMonitor: s.fleetMonitor });
  }
  app.use(async (ctx, next) => {
    const end = deps.metrics.httpDuration.startTimer({ method: ctx.method });
    try {
      await next();
    } finally {
      end({ route: (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched', status: String(ctx.status) });
    }
  });
  app.use(errorsMiddleware(deps.logger, deps.isOutage));
  if (s) app.use(uiFiles(deps.config.UI_DIR));
  app.use(authenticate(deps.config));
  app.use(rateLimit(deps.limiter));
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: false }));
  return app;
}
