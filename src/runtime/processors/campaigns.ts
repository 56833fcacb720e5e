import type { Job } from 'bullmq';
import { sweepCampaigns, type CampaignStore } from '../../app/campaign-sweep.js';
import { monitorFleet, type FleetStore } from '../../app/fleet-monitor.js';
import type { Release } from '../../model/fleet/fleet-counts.js';
import type { Detector } from '../../model/scoring/detector.js';
import { parsePayload } from '../../../jobs/define.js';
import { campaignsQueue } from '../../../jobs/campaigns.js';

export function campaignsProcessor(deps: {
  store: CampaignStore;
  fleet: FleetStore;
  detector: Detector;
  releases: readonly Release[];
  /**
   * Carries folds' effects still in the shards' outboxes to the release sets and fleet monitors
   * first (effects-relay.ts), so the sweep sees every fold whose account links it reads.
   */
  applyEffects: () => Promise<number>;
}) {
  return async (job: Job) => {
    parsePayload(campaignsQueue, job);
    await deps.applyEffects();
    const campaigns = await sweepCampaigns(deps.store, deps.detector, deps.releases);
    const fleet = await monitorFleet(deps.fleet, deps.detector.params.fleetMonitor);
    return { ...campaigns, fleet };
  };
}
