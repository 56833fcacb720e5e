import type { Job } from 'bullmq';
import { z } from 'zod';
import { expireOldPrompts, type RetentionStore } from '../src/domain/retention.js';
import { defineQueue, parsePayload } from './define.js';

/** A scheduled sweep (RETENTION_INTERVAL_MS) that expires prompts older than RETENTION_DAYS. */
export const retentionQueue = defineQueue({
  name: 'retention',
  payload: z.object({ days: z.number().int().min(1) }),
  jobId: () => 'retention-sweep',
  options: { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: { count: 50 }, removeOnFail: { count: 200 } },
});

export function retentionProcessor(deps: { store: RetentionStore; now?: () => number }) {
  return async (job: Job) => {
    const { days } = parsePayload(retentionQueue, job);
    const cutoff = (deps.now ?? Date.now)() - days * 24 * 3600 * 1000;
    return expireOldPrompts(deps.store, cutoff, (done, total) => job.updateProgress({ done, total }));
  };
}
