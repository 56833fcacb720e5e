import { parentPort, workerData } from 'node:worker_threads';
import type { QueueName } from '../../../jobs/registry.js';
import { relayEvents } from '../../adapters/redis/outbox.js';
import { buildContainer } from '../container.js';
import { createLogger } from '../log.js';
import { createMetrics, instrumentEmbedder } from '../metrics.js';
import { campaignsProcessor } from '../processors/campaigns.js';
import { ingestProcessor } from '../processors/ingest.js';
import { reclassifyProcessor } from '../processors/reclassify.js';
import { retentionProcessor } from '../processors/retention.js';
import { scoreProcessor } from '../processors/score.js';
import { webhookProcessor } from '../processors/webhook.js';
import { startWorker } from '../workers.js';
import type { FromThread, ThreadData, ToThread } from './protocol.js';

const port = parentPort!;
const { config, runWorkers } = workerData as ThreadData;
const post = (m: FromThread, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

try {
  const logger = createLogger(config.LOG_LEVEL).child({ thread: 'ingest' });
  const metrics = createMetrics({ processMetrics: false });
  const c = buildContainer(config, 'workers', logger);
  const embedder = instrumentEmbedder(await c.embedder(), metrics);
  if (runWorkers) {
    const stores = await c.stores({ id: embedder.modelId, dimension: embedder.dimension });
    const classifier = await c.classifier(embedder);
    const detector = await c.detector();
    const queues = await c.queues();
    const conn = await c.redis();
    const opts = { connection: conn, prefix: c.keys.queuePrefix, lockMs: config.JOB_LOCK_MS, metrics, logger };
    const run = (name: QueueName, processor: Parameters<typeof startWorker>[1], concurrency: number) =>
      c.lifecycle.start(`${name} worker`, () => startWorker(name, processor, concurrency, opts), (w) => w.close());

    const ingest = ingestProcessor({ embedder, classifier, store: stores.prompts });
    await run(
      'ingest',
      async (job) => {
        const result = await ingest(job);
        metrics.storedSamples.inc(result.stored);
        return result;
      },
      config.INGEST_CONCURRENCY,
    );
    const webhook = config.WEBHOOK_URL && config.WEBHOOK_SECRET ? { url: config.WEBHOOK_URL, secret: config.WEBHOOK_SECRET, timeoutMs: config.WEBHOOK_TIMEOUT_MS } : undefined;
    await run('score', scoreProcessor({ accounts: stores.accounts, detector, releases: config.MODEL_RELEASES, verdicts: stores.verdicts, applyEffects: () => stores.accounts.applyEffects(), ...(webhook ? { relayEvents: () => relayEvents(conn, c.keys, queues) } : {}) }), 1);
    await queues.schedule('score', config.SCORE_INTERVAL_MS, { maxAccounts: config.SCORE_MAX_ACCOUNTS_PER_SWEEP });
    await run('reclassify', reclassifyProcessor({ embedder, classifier, store: stores.accounts }), 1);
    await run('campaigns', campaignsProcessor({ store: stores.campaigns, fleet: stores.fleet, detector, releases: config.MODEL_RELEASES, applyEffects: () => stores.accounts.applyEffects() }), 1);
    await queues.schedule('campaigns', config.CAMPAIGN_INTERVAL_MS, {});
    if (config.RETENTION_DAYS > 0) {
      await run('retention', retentionProcessor({ store: stores.accounts }), 1);
      await queues.schedule('retention', config.RETENTION_INTERVAL_MS, { days: config.RETENTION_DAYS });
    }
    if (webhook) await run('webhook', webhookProcessor(webhook), 4);
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
        // Workers first (their jobs finish or go back to the queue), then queues, then Redis.
        await c.lifecycle.stopAll(config.SHUTDOWN_TIMEOUT_MS);
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
