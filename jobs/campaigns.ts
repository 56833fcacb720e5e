import type { Job } from 'bullmq';
import { z } from 'zod';
import { sweepCampaigns, type CampaignStore } from '../src/domain/campaign-sweep.js';
import type { Calibration } from '../src/scoring/calibration.js';
import { defineQueue, parsePayload } from './define.js';

/** A scheduled sweep (CAMPAIGN_INTERVAL_MS) that re-clusters accounts from their link keys. */
export const campaignsQueue = defineQueue({
  name: 'campaigns',
  payload: z.object({ threshold: z.number().positive() }),
  jobId: () => 'campaign-sweep',
  options: { attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { count: 50 }, removeOnFail: { count: 200 } },
});

export function campaignsProcessor(deps: { store: CampaignStore; calibration: Calibration }) {
  return async (job: Job) => {
    const { threshold } = parsePayload(campaignsQueue, job);
    return sweepCampaigns(deps.store, deps.calibration, threshold);
  };
}
