import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ingestProcessor } from '../jobs/ingest.js';
import { queueDefinitions } from '../jobs/registry.js';
import type { Embedder } from './domain/embedder.js';
import type { IngestResult, PromptStore } from './domain/ingest.js';
import type { Metrics } from './metrics.js';

export interface WorkerDeps {
  connection: Redis;
  prefix: string;
  concurrency: number;
  lockMs: number;
  embedder: Embedder;
  store: PromptStore;
  metrics: Metrics;
  logger: Logger;
}

export function startWorkers(deps: WorkerDeps): Worker[] {
  const name = queueDefinitions.ingest.name;
  const process = ingestProcessor({ embedder: deps.embedder, store: deps.store });
  const worker = new Worker(
    name,
    async (job: Job) => {
      deps.metrics.queueWait.observe({ queue: name }, (Date.now() - job.timestamp) / 1000);
      const end = deps.metrics.jobDuration.startTimer({ queue: name });
      try {
        const result = await process(job);
        end({ outcome: 'completed' });
        deps.metrics.storedSamples.inc(result.stored);
        return result;
      } catch (err) {
        end({ outcome: 'failed' });
        throw err;
      }
    },
    { connection: deps.connection, prefix: deps.prefix, concurrency: deps.concurrency, lockDuration: deps.lockMs, stalledInterval: deps.lockMs, autorun: true },
  );
  worker.on('completed', (job: Job, result: IngestResult) => {
    deps.logger.debug({ jobId: job.id, queue: name, ...result }, 'job completed');
  });
  worker.on('failed', (job: Job | undefined, err: Error) => {
    deps.logger.warn({ jobId: job?.id, queue: name, attempt: job?.attemptsMade, err: err.message }, 'job failed');
  });
  worker.on('error', (err) => deps.logger.error({ err }, 'worker error'));
  return [worker];
}
