import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Embedder } from '../model/ports/embedder.js';

export function createMetrics(opts: { processMetrics: boolean } = { processMetrics: true }) {
  const registry = new Registry();
  if (opts.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'dr_' });
  const registers = [registry];
  return {
    registry,
    ingestSamples: new Counter({
      name: 'dr_ingest_samples_total',
      help: 'Samples received by POST /v1/samples, by outcome',
      labelNames: ['outcome'] as const,
      registers,
    }),
    storedSamples: new Counter({ name: 'dr_stored_samples_total', help: 'Samples newly committed by workers', registers }),
    queueWait: new Histogram({
      name: 'dr_queue_wait_seconds',
      help: 'Time from enqueue to processing start',
      labelNames: ['queue'] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600],
      registers,
    }),
    jobDuration: new Histogram({
      name: 'dr_job_duration_seconds',
      help: 'Job processing time',
      labelNames: ['queue', 'outcome'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
      registers,
    }),
    embedDuration: new Histogram({
      name: 'dr_embed_seconds',
      help: 'Time to embed one call of texts',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 1, 5],
      registers,
    }),
    embeddedTexts: new Counter({ name: 'dr_embedded_texts_total', help: 'Texts embedded', registers }),
    indexSize: new Gauge({ name: 'dr_index_size', help: 'Vectors in the search index', registers }),
    httpDuration: new Histogram({
      name: 'dr_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

export function instrumentEmbedder(embedder: Embedder, metrics: Metrics): Embedder {
  return {
    modelId: embedder.modelId,
    dimension: embedder.dimension,
    async embed(texts) {
      const end = metrics.embedDuration.startTimer();
      try {
        return await embedder.embed(texts);
      } finally {
        end();
        metrics.embeddedTexts.inc(texts.length);
      }
    },
  };
}

/** What the fleet gauges show, read from the store at scrape time. */
export interface FleetReading {
  /** The young population's latest complete hour, if any. */
  young: { prompts: number; outputTokens: number } | null;
  campaigns: { clusterId: string; promptsPerHour: number; outputTokensPerHour: number }[];
  alerts: number;
}

/**
 * Fleet-level gauges, refreshed from Redis on each scrape: the store is the one truth, so every API
 * replica reports the same numbers and nothing is lost across restarts.
 */
export function registerFleetGauges(registry: Registry, read: () => Promise<FleetReading>): void {
  let reading: Promise<FleetReading> | null = null;
  // One read per scrape, shared by the gauges (each collect() runs in the same scrape).
  const once = () => (reading ??= read().finally(() => setImmediate(() => (reading = null))));
  const registers = [registry];
  new Gauge({
    name: 'dr_fleet_young_prompts_per_hour',
    help: 'Prompts in the latest complete hour from accounts younger than fleetMonitor.youngDays',
    registers,
    async collect() {
      this.set((await once()).young?.prompts ?? 0);
    },
  });
  new Gauge({
    name: 'dr_fleet_young_output_tokens_per_hour',
    help: 'Output tokens in the latest complete hour from accounts younger than fleetMonitor.youngDays',
    registers,
    async collect() {
      this.set((await once()).young?.outputTokens ?? 0);
    },
  });
  new Gauge({
    name: 'dr_fleet_rate_alerts',
    help: 'Young-population rate alerts kept in the recent list',
    registers,
    async collect() {
      this.set((await once()).alerts);
    },
  });
  for (const [name, field] of [
    ['dr_campaign_prompts_per_hour', 'promptsPerHour'],
    ['dr_campaign_output_tokens_per_hour', 'outputTokensPerHour'],
  ] as const) {
    new Gauge({
      name,
      help: `Campaign ${field} over its last active day`,
      labelNames: ['campaign'] as const,
      registers,
      async collect() {
        this.reset();
        for (const c of (await once()).campaigns) this.set({ campaign: c.clusterId }, c[field]);
      },
    });
  }
}
