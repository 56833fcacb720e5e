import { parentPort, workerData } from 'node:worker_threads';
import { Redis } from 'ioredis';
import { campaignsProcessor } from '../processors/campaigns.js';
import { ingestProcessor } from '../processors/ingest.js';
import { reclassifyProcessor } from '../processors/reclassify.js';
import { retentionProcessor } from '../processors/retention.js';
import { Queues } from '../../../jobs/registry.js';
import { scoreProcessor } from '../processors/score.js';
import { webhookProcessor } from '../processors/webhook.js';
import { createTransformersEmbedder } from '../../adapters/transformers/transformers-embedder.js';
import { createLogger } from '../log.js';
import { createMetrics, instrumentEmbedder } from '../metrics.js';
import { loadDetector } from '../../adapters/files/model-files.js';
import { relayEvents } from '../../adapters/redis/event-relay.js';
import { TaxonomySource } from '../../adapters/redis/taxonomy-source.js';
import { RedisAccountStore } from '../../adapters/redis/redis-account-store.js';
import { RedisCampaignStore } from '../../adapters/redis/redis-campaign-store.js';
import { RedisFleetStore } from '../../adapters/redis/redis-fleet-store.js';
import { redisKeys } from '../../adapters/redis/redis-keys.js';
import { assertStoreModel, RedisPromptStore } from '../../adapters/redis/redis-prompt-store.js';
import { startWorker } from '../workers.js';
import type { Worker } from 'bullmq';
import type { FromThread, ThreadData, ToThread } from './protocol.js';

const port = parentPort!;
const { config, runWorkers } = workerData as ThreadData;
const post = (m: FromThread, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

try {
  const logger = createLogger(config.LOG_LEVEL).child({ thread: 'ingest' });
  const metrics = createMetrics({ processMetrics: false });
  const embedder = instrumentEmbedder(
    await createTransformersEmbedder({ modelsDir: config.MODELS_DIR, model: config.EMBED_MODEL, batchSize: config.EMBED_BATCH_SIZE }),
    metrics,
  );
  const workers: Worker[] = [];
  let redis: Redis | undefined;
  let queues: Queues | undefined;
  if (runWorkers) {
    // Workers wait out a Redis outage: their jobs resume when it returns.
    redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
    redis.on('error', (err) => logger.warn({ err: err.message }, 'worker redis connection error'));
    const keys = redisKeys(config.KEY_PREFIX);
    const model = { id: embedder.modelId, dimension: embedder.dimension };
    const prompts = new RedisPromptStore(redis, keys, model);
    await assertStoreModel(prompts, config.KEY_PREFIX, model);
    const taxonomy = new TaxonomySource(redis, keys, config.TAXONOMY_FILE, embedder);
    const classifier = () => taxonomy.current();
    await classifier();
    const detector = await loadDetector({ promptModel: config.PROMPT_MODEL_FILE, params: config.DETECTION_PARAMS_FILE, calibration: config.CALIBRATION_FILE });
    const conn = redis;
    queues = new Queues(conn, config.KEY_PREFIX, (err, queue) => logger.warn({ err: err.message, queue }, 'queue connection error'));
    const accounts = new RedisAccountStore(conn, keys, prompts);
    const opts = { connection: conn, prefix: config.KEY_PREFIX, lockMs: config.JOB_LOCK_MS, metrics, logger };

    const ingest = ingestProcessor({ embedder, classifier, store: prompts });
    workers.push(
      startWorker('ingest', async (job) => {
        const result = await ingest(job);
        metrics.storedSamples.inc(result.stored);
        return result;
      }, config.INGEST_CONCURRENCY, opts),
    );
    const q = queues;
    const webhook = config.WEBHOOK_URL && config.WEBHOOK_SECRET ? { url: config.WEBHOOK_URL, secret: config.WEBHOOK_SECRET, timeoutMs: config.WEBHOOK_TIMEOUT_MS } : undefined;
    workers.push(
      startWorker(
        'score',
        scoreProcessor({
          accounts,
          detector,
          releases: config.MODEL_RELEASES,
          ...(webhook ? { relayEvents: () => relayEvents(conn, keys, q) } : {}),
        }),
        1,
        opts,
      ),
    );
    await queues.schedule('score', config.SCORE_INTERVAL_MS, { maxAccounts: config.SCORE_MAX_ACCOUNTS_PER_SWEEP });
    workers.push(
      startWorker('reclassify', reclassifyProcessor({ embedder, classifier, store: accounts }), 1, opts),
    );
    workers.push(startWorker('campaigns', campaignsProcessor({ store: new RedisCampaignStore(conn, keys), fleet: new RedisFleetStore(conn, keys), detector, releases: config.MODEL_RELEASES }), 1, opts));
    await queues.schedule('campaigns', config.CAMPAIGN_INTERVAL_MS, {});
    if (config.RETENTION_DAYS > 0) {
      workers.push(startWorker('retention', retentionProcessor({ store: accounts }), 1, opts));
      await queues.schedule('retention', config.RETENTION_INTERVAL_MS, { days: config.RETENTION_DAYS });
    }
    if (webhook) workers.push(startWorker('webhook', webhookProcessor(webhook), 4, opts));
  }

  port.on('message', async (m: ToThread) => {
    try {
      if (m.type === 'embed') {
        const vectors = await embedder.embed(m.texts);
        const flat = new Float32Array(vectors.length * embedder.dimension);
        vectors.forEach((v, i) => flat.set(v, i * embedder.dimension));
        post({ type: 'embedded', id: m.id, flat }, [flat.buffer]);
      } else if (m.type === 'metrics') {
        post({ type: 'metrics', id: m.id, metrics: await metrics.registry.getMetricsAsJSON() });
      } else {
        await Promise.all(workers.map((w) => w.close()));
        await queues?.close();
        await redis?.quit().catch(() => redis?.disconnect());
        post({ type: 'closed', id: m.id });
      }
    } catch (err) {
      post({ type: 'error', id: m.id, message: (err as Error).message });
    }
  });
  post({ type: 'ready', modelId: embedder.modelId, dimension: embedder.dimension });
} catch (err) {
  post({ type: 'fatal', message: (err as Error).message });
}
