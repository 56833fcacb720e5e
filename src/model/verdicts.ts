/**
 * Analysts' verdicts on accounts and campaigns, and what they change. A `benign` verdict allow-lists
 * the account: it is not flagged again until new evidence arrives, that is until its evidence has
 * grown, since the verdict, by as much as alone would reach review. `malicious` and `benign` verdicts
 * become labels the prompt model can be refitted on (`npm run train -- --labels`); `unsure` records
 * a look without a decision.
 */
import { z } from 'zod';

export const VERDICTS = ['malicious', 'benign', 'unsure'] as const;
export const SUBJECTS = ['account', 'campaign'] as const;
export type Subject = (typeof SUBJECTS)[number];

export const verdictInput = z
  .object({
    subject: z.enum(SUBJECTS, { errorMap: () => ({ message: `subject must be one of ${SUBJECTS.join(', ')}` }) }),
    id: z.string({ required_error: 'id is required' }).min(1, 'id must not be empty').max(200, 'id is at most 200 characters'),
    verdict: z.enum(VERDICTS, { errorMap: () => ({ message: `verdict must be one of ${VERDICTS.join(', ')}` }) }),
    note: z.string().max(2000, 'note is at most 2000 characters').default(''),
  })
  .strict();

export type VerdictInput = z.infer<typeof verdictInput>;

export interface Verdict extends VerdictInput {
  /** Who recorded it: the API key's name, or `anonymous` without keys. */
  by: string;
  /** Epoch milliseconds. */
  at: number;
  /** The subject's evidence (nats) when the verdict was recorded. */
  nats: number;
  /**
   * The accounts the verdict covers (the account, or the campaign's members then) with each one's
   * own evidence at the time: what "new evidence" is measured from.
   */
  accounts: Record<string, number>;
}

/** An account a benign verdict still covers: its evidence has not grown by a review bar's worth since. */
export function allowListed(v: Pick<Verdict, 'verdict' | 'accounts'> | undefined, accountId: string, nats: number, reviewNats: number): boolean {
  const then = v?.accounts[accountId];
  return v?.verdict === 'benign' && then !== undefined && nats < then + reviewNats;
}

/**
 * Training labels from verdicts, one per account, the newest verdict deciding: malicious accounts
 * are `extraction`, benign ones `organic`; unsure ones are left out.
 */
export function labelsOf(verdicts: readonly Verdict[]): { accountId: string; label: 'extraction' | 'organic' }[] {
  const latest = new Map<string, Verdict>();
  for (const v of [...verdicts].sort((a, b) => a.at - b.at)) for (const a of Object.keys(v.accounts)) latest.set(a, v);
  return [...latest]
    .filter(([, v]) => v.verdict !== 'unsure')
    .map(([accountId, v]) => ({ accountId, label: v.verdict === 'malicious' ? ('extraction' as const) : ('organic' as const) }))
    .sort((a, b) => (a.accountId < b.accountId ? -1 : 1));
}
