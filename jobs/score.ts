import { z } from 'zod';
import { defineQueue } from './define.js';

/**
 * One sweep job runs every SCORE_INTERVAL_MS (a BullMQ job scheduler): each account with new
 * prompts is rescored at most once per interval, however many samples it sent: the debounce.
 */
export const scoreQueue = defineQueue({
  name: 'score',
  payload: z.object({ maxAccounts: z.number().int().min(1).max(100_000) }),
  jobId: () => 'score-sweep',
  options: { attempts: 3, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } },
});
