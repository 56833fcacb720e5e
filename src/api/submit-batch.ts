import { createHash } from 'node:crypto';
import type { Queues } from '../../jobs/registry.js';
import type { Sample } from '../domain/sample.js';
import type { RedisPromptStore } from '../stores/redis-prompt-store.js';

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

/**
 * Claims the batch's new promptIds, then enqueues one job holding just those. If the enqueue fails the
 * claims point at a job that does not exist, which lets any later batch take them over (see the claim
 * script), so a failed request never swallows samples.
 */
export async function submitBatch(
  samples: readonly Sample[],
  deps: { store: RedisPromptStore; queues: Queues },
): Promise<SubmitResult> {
  const batchId = batchIdOf(samples);
  const firstOfId = new Map<string, Sample>();
  for (const s of samples) if (!firstOfId.has(s.promptId)) firstOfId.set(s.promptId, s);
  const unique = [...firstOfId.values()];
  const fresh = await deps.store.claim(batchId, deps.queues.jobKeyPrefix('ingest'), unique.map((s) => s.promptId));
  const accepted = unique.filter((_, i) => fresh[i]);
  if (accepted.length > 0) await deps.queues.enqueue('ingest', { batchId, samples: accepted });
  return { accepted: accepted.length, duplicates: samples.length - accepted.length, batchId };
}
