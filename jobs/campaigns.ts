import type { Job } from 'bullmq';
import { z } from 'zod';
import { sweepCampaigns, type CampaignStore } from '../src/domain/campaign-sweep.js';
import type { Detector } from '../src/scoring/detector.js';
import { defineQueue, parsePayload } from './define.js';

/** A scheduled sweep (CAMPAIGN_INTERVAL_MS) that re-clusters accounts from their link keys. */
export const campaignsQueue = defineQueue({
  name: 'campaigns',
  payload: z.object({}),
  jobId: () => 'campaign-sweep',
  options: { attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { count: 50 }, removeOnFail: { count: 200 } },
});

export function campaignsProcessor(deps: { store: CampaignStore; detector: Detector }) {
  return async (job: Job) => {
    parsePayload(campaignsQueue, job);
    return sweepCampaigns(deps.store, deps.detector);
  };
}
