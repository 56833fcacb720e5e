import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { queueDefinitions, type QueueName } from '../../jobs/registry.js';
import type { Metrics } from './metrics.js';

export interface WorkerOptions {
  connection: Redis;
  prefix: string;
  lockMs: number;
  metrics: Metrics;
  logger: Logger;
}

/** A BullMQ worker for one registry queue, with timing metrics and jobId-tagged logs. */
export function startWorker(
  name: QueueName,
  processor: (job: Job) => Promise<unknown>,
  concurrency: number,
  opts: WorkerOptions,
): Worker {
  const queue = queueDefinitions[name].name;
  const worker = new Worker(
    queue,
    async (job: Job) => {
      opts.metrics.queueWait.observe({ queue }, Math.max(0, Date.now() - job.timestamp) / 1000);
      const end = opts.metrics.jobDuration.startTimer({ queue });
      try {
        const result = await processor(job);
        end({ outcome: 'completed' });
        return result;
      } catch (err) {
        end({ outcome: 'failed' });
        throw err;
      }
    },
    { connection: opts.connection, prefix: opts.prefix, concurrency, lockDuration: opts.lockMs, stalledInterval: opts.lockMs, autorun: true },
  );
  worker.on('completed', (job: Job, result: unknown) => opts.logger.debug({ jobId: job.id, queue, result }, 'job completed'));
  worker.on('failed', (job: Job | undefined, err: Error) =>
    opts.logger.warn({ jobId: job?.id, queue, attempt: job?.attemptsMade, err: err.message }, 'job failed'),
  );
  worker.on('error', (err) => opts.logger.error({ err, queue }, 'worker error'));
  return worker;
}
