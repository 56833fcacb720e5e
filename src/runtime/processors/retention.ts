import type { Job } from 'bullmq';
import { expireOldPrompts, type RetentionStore } from '../../app/retention.js';
import { parsePayload } from '../../../jobs/define.js';
import { retentionQueue } from '../../../jobs/retention.js';

export function retentionProcessor(deps: { store: RetentionStore; now?: () => number }) {
  return async (job: Job) => {
    const { days } = parsePayload(retentionQueue, job);
    const cutoff = (deps.now ?? Date.now)() - days * 24 * 3600 * 1000;
    return expireOldPrompts(deps.store, cutoff, (done, total) => job.updateProgress({ done, total }));
  };
}
