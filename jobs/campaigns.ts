import type { Job } from 'bullmq';
import { z } from 'zod';
import { sweepCampaigns, type CampaignStore } from '../src/domain/campaign-sweep.js';
import { monitorFleet, type FleetStore } from '../src/domain/fleet-monitor.js';
import type { Release } from '../src/fleet/fleet-counts.js';
import type { Detector } from '../src/scoring/detector.js';
import { defineQueue, parsePayload } from './define.js';

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

export function campaignsProcessor(deps: { store: CampaignStore; fleet: FleetStore; detector: Detector; releases: readonly Release[] }) {
  return async (job: Job) => {
    parsePayload(campaignsQueue, job);
    const campaigns = await sweepCampaigns(deps.store, deps.detector, deps.releases);
    const fleet = await monitorFleet(deps.fleet, deps.detector.params.fleetMonitor);
    return { ...campaigns, fleet };
  };
}
