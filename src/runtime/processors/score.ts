import type { Job } from 'bullmq';
import { scoreDirtyAccounts, type AccountStateStore } from '../../app/account-scoring.js';
import type { Release } from '../../model/fleet/fleet-counts.js';
import type { Detector } from '../../model/scoring/detector.js';
import type { VerdictStore } from '../../app/verdicts.js';
import { parsePayload } from '../../../jobs/define.js';
import { scoreQueue } from '../../../jobs/score.js';

export function scoreProcessor(deps: {
  accounts: AccountStateStore;
  detector: Detector;
  /** Configured model releases: the fold records who was active after each and who moved to it. */
  releases?: readonly Release[];
  /** Benign verdicts keep the accounts they cover at tier none until new evidence. */
  verdicts?: Pick<VerdictStore, 'covering'>;
  /**
   * Carries the folds' effects from the shards' outboxes to the score index, events and fleet
   * monitors (effects-relay.ts); runs after scoring, and on every sweep, so effects a crashed
   * sweep left behind are applied by the next.
   */
  applyEffects: () => Promise<number>;
  /** Hands new events to the webhook queue; runs after scoring so a raise is announced promptly. */
  relayEvents?: () => Promise<number>;
}) {
  return async (job: Job) => {
    const { maxAccounts } = parsePayload(scoreQueue, job);
    const result = await scoreDirtyAccounts(deps.accounts, deps.detector, { maxAccounts, ...(deps.releases ? { releases: deps.releases } : {}), ...(deps.verdicts ? { verdicts: deps.verdicts } : {}) });
    const effects = await deps.applyEffects();
    const relayed = (await deps.relayEvents?.()) ?? 0;
    return { ...result, effects, relayed };
  };
}
