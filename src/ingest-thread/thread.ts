import { parentPort, workerData } from 'node:worker_threads';
import { Redis } from 'ioredis';
import { createTransformersEmbedder } from '../embedding/transformers-embedder.js';
import { createLogger } from '../log.js';
import { createMetrics, instrumentEmbedder } from '../metrics.js';
import { redisKeys } from '../stores/redis-keys.js';
import { assertStoreModel, RedisPromptStore } from '../stores/redis-prompt-store.js';
import { startWorkers } from '../workers.js';
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
  // Workers wait out a Redis outage: their jobs resume when it returns.
  const redis = runWorkers ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: null }) : undefined;
  redis?.on('error', (err) => logger.warn({ err: err.message }, 'worker redis connection error'));
  const store = redis && new RedisPromptStore(redis, redisKeys(config.KEY_PREFIX), { id: embedder.modelId, dimension: embedder.dimension });
  if (store) await assertStoreModel(store, config.KEY_PREFIX, { id: embedder.modelId, dimension: embedder.dimension });
  const workers = store && redis
    ? startWorkers({
        connection: redis,
        prefix: config.KEY_PREFIX,
        concurrency: config.INGEST_CONCURRENCY,
        lockMs: config.JOB_LOCK_MS,
        embedder,
        store,
        metrics,
        logger,
      })
    : [];

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
        await redis?.quit().catch(() => redis.disconnect());
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
