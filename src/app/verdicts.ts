import type { Verdict, VerdictInput } from '../model/verdicts.js';
import { NotFoundError } from './errors.js';
import { campaignOrThrow, type AccountReads, type CampaignReads } from './queries.js';

/** Where verdicts live; the Redis implementation is src/adapters/redis/redis-verdict-store.ts. */
export interface VerdictStore {
  /** Saves the verdict as its subject's latest, and as the latest covering each of its accounts. */
  put(v: Verdict): Promise<void>;
  /** Latest verdicts, newest first. */
  page(q: { offset: number; limit: number }): Promise<{ items: Verdict[]; fetched: number }>;
  /** Every subject's latest verdict (for training labels). */
  all(): Promise<Verdict[]>;
  /** The latest verdict covering each account, if any. */
  covering(accountIds: readonly string[]): Promise<Map<string, Verdict>>;
}

/**
 * Records an analyst's verdict on an account or campaign that exists, with the evidence each
 * covered account has now, so "new evidence" later is measured from here.
 */
export async function recordVerdict(
  store: VerdictStore,
  reads: { accounts: AccountReads; campaigns: CampaignReads },
  input: VerdictInput,
  by: string,
  now: number,
): Promise<Verdict> {
  let nats: number;
  let covered: string[];
  if (input.subject === 'account') {
    const a = (await reads.accounts.accounts([input.id])).get(input.id);
    if (!a) throw new NotFoundError(`account ${input.id}`);
    nats = a.evidence?.nats ?? 0;
    covered = [input.id];
  } else {
    const c = await campaignOrThrow(reads.campaigns, input.id);
    nats = c.evidence.nats;
    covered = c.members;
  }
  const own = await reads.accounts.accounts(covered);
  const accounts = Object.fromEntries(covered.map((id) => [id, own.get(id)?.evidence?.nats ?? 0]));
  const v: Verdict = { ...input, by, at: now, nats, accounts };
  await store.put(v);
  return v;
}
