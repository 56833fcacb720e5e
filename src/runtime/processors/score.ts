import type { Job } from 'bullmq';
import { scoreDirtyAccounts, type AccountStateStore } from '../../app/account-scoring.js';
import type { Release } from '../../model/fleet/fleet-counts.js';
import type { Detector } from '../../model/scoring/detector.js';
import { parsePayload } from '../../../jobs/define.js';
import { scoreQueue } from '../../../jobs/score.js';

export function scoreProcessor(deps: {
  accounts: AccountStateStore;
  detector: Detector;
  /** Configured model releases: the fold records who was active after each and who moved to it. */
  releases?: readonly Release[];
  /** Hands new events to the webhook queue; runs after scoring so a raise is announced promptly. */
  relayEvents?: () => Promise<number>;
}) {
  return async (job: Job) => {
    const { maxAccounts } = parsePayload(scoreQueue, job);
    const result = await scoreDirtyAccounts(deps.accounts, deps.detector, { maxAccounts, ...(deps.releases ? { releases: deps.releases } : {}) });
    const relayed = (await deps.relayEvents?.()) ?? 0;
    return { ...result, relayed };
  };
}
