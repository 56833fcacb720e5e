import { createHash } from 'node:crypto';
import type { Queues } from '../../../jobs/registry.js';
import type { Sample } from '../../model/sample.js';
import type { RedisPromptStore } from '../../adapters/redis/redis-prompt-store.js';

export interface SubmitResult {
  accepted: number;
  duplicates: number;
  batchId: string;
}

/** Same samples, same id: a client's retry of a request maps onto the job it already created. */
export function batchIdOf(samples: readonly Sample[]): string {
  const h = createHash('sha256');
  for (const s of samples) h.update(JSON.stringify([s.accountId, s.promptId, s.ts, s.text, s.metadata ?? null])).update('\n');
  return `b${h.digest('hex').slice(0, 32)}`;
}

/** How long a claim may sit without being marked enqueued before another batch may take it over. */
export const CLAIM_GRACE_MS = 3000;
const PENDING_POLL_MS = 20;

/**
 * Claims the batch's new promptIds, enqueues one job holding just those, then marks the claims
 * enqueued. If the enqueue fails the claims are never marked, which lets a later batch take them over
 * after the grace period, so a failed request never swallows samples. Samples another request is
 * enqueueing right now are asked about again until its claims are marked (duplicate) or go stale
 * (ours). If a request dies between enqueueing and marking, a later batch may take the claims over
 * and enqueue the samples again: the store's commit skips a record that exists, so they are still
 * counted once.
 */
export async function submitBatch(
  samples: readonly Sample[],
  deps: { store: RedisPromptStore; queues: Queues },
): Promise<SubmitResult> {
  const batchId = batchIdOf(samples);
  const firstOfId = new Map<string, Sample>();
  for (const s of samples) if (!firstOfId.has(s.promptId)) firstOfId.set(s.promptId, s);
  const accepted: Sample[] = [];
  let undecided = [...firstOfId.values()];
  while (undecided.length > 0) {
    const verdicts = await deps.store.claim(batchId, undecided, CLAIM_GRACE_MS);
    accepted.push(...undecided.filter((_, i) => verdicts[i] === 'new'));
    undecided = undecided.filter((_, i) => verdicts[i] === 'pending');
    if (undecided.length > 0) await new Promise((r) => setTimeout(r, PENDING_POLL_MS));
  }
  if (accepted.length > 0) {
    await deps.queues.enqueue('ingest', { batchId, samples: accepted });
    await deps.store.markEnqueued(batchId, accepted);
  }
  return { accepted: accepted.length, duplicates: samples.length - accepted.length, batchId };
}
