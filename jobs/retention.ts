import { z } from 'zod';
import { defineQueue } from './define.js';

/** A scheduled sweep (RETENTION_INTERVAL_MS) that expires prompts older than RETENTION_DAYS. */
export const retentionQueue = defineQueue({
  name: 'retention',
  payload: z.object({ days: z.number().int().min(1) }),
  jobId: () => 'retention-sweep',
  options: { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: { count: 50 }, removeOnFail: { count: 200 } },
});
