import { z } from 'zod';
import { defineQueue } from './define.js';

/**
 * A scheduled sweep (CAMPAIGN_INTERVAL_MS) that re-clusters accounts from their link keys, judges
 * campaigns' release pivots, then judges the young population's new complete hours.
 */
export const campaignsQueue = defineQueue({
  name: 'campaigns',
  payload: z.object({}),
  jobId: () => 'campaign-sweep',
  options: { attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { count: 50 }, removeOnFail: { count: 200 } },
});
