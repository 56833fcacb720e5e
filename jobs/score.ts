import type { Job } from 'bullmq';
import { z } from 'zod';
import { scoreDirtyAccounts, type AccountStateStore } from '../src/domain/account-scoring.js';
import type { Release } from '../src/fleet/fleet-counts.js';
import type { Detector } from '../src/scoring/detector.js';
import { defineQueue, parsePayload } from './define.js';

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
