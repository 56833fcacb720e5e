import { promptLinkKeys } from '../campaigns/prompt-keys.js';
import { actionsFor, type FiredAction } from '../scoring/actions.js';
import { countWith, type Detector } from '../scoring/detector.js';
import type { Sample } from './sample.js';
import { emptyProfile, type ClassifiedPrompt, type Profile } from '../scoring/profile.js';
import { scoreProfile, TIERS, type AccountScore, type Tier } from '../scoring/score.js';

export interface FoldInput {
  /** Optimistic-concurrency token: the fold commits only if nobody folded in between. */
  version: number;
  profile: Profile | null;
  tier: Tier;
  /** The oldest prompts stored for the account and not yet in its profile, in store order. */
  prompts: (ClassifiedPrompt & { metadata?: Sample['metadata'] })[];
}

export interface FoldResult {
  version: number;
  consumed: number;
  profile: Profile;
  score: AccountScore;
  previousTier: Tier;
  /** Campaign-linking keys (templates, infrastructure) of the folded prompts, with counts. */
  linkKeys: Record<string, number>;
  /** Set when the account moved up a tier: detectors are told about escalations only. */
  raised?: { from: Tier; to: Tier };
  /** What the configured rules fire at the new tier, on its own evidence (carried on the event). */
  actions: FiredAction[];
}

/** What scoring needs from storage; the Redis implementation lives in src/stores. */
export interface AccountStateStore {
  /** Accounts with prompts not yet folded into their profile. */
  dirtyAccounts(limit: number): Promise<string[]>;
  loadForFold(accountId: string, maxPrompts: number): Promise<FoldInput>;
  /** Saves profile and score and drops the consumed prompts, atomically; false if `version` is stale. */
  commitFold(accountId: string, result: FoldResult): Promise<boolean>;
}

export function foldPrompts(input: FoldInput, detector: Detector): FoldResult {
  // A profile from before the curriculum model (version 1) holds none of its evidence: start afresh
  // from the new prompts; the reclassify job rebuilds whole profiles from stored prompts.
  const profile = input.profile?.version === 2 ? structuredClone(input.profile) : emptyProfile();
  const linkKeys: Record<string, number> = {};
  for (const p of input.prompts) {
    countWith(detector, profile, p);
    for (const key of promptLinkKeys(p.text, p.metadata)) linkKeys[key] = (linkKeys[key] ?? 0) + 1;
  }
  const score = scoreProfile(profile, detector);
  const actions = actionsFor(detector.params.actions, { tier: score.tier, prompts: profile.n });
  const result: FoldResult = { version: input.version, consumed: input.prompts.length, profile, score, previousTier: input.tier, linkKeys, actions };
  if (TIERS.indexOf(score.tier) > TIERS.indexOf(input.tier)) result.raised = { from: input.tier, to: score.tier };
  return result;
}

const MAX_FOLD = 5000;

/**
 * Folds every dirty account's new prompts into its profile and rescores it. Exactly once per
 * prompt: a fold that loses a race to another scorer, or dies before committing, leaves the
 * prompts pending and the account dirty, and the next sweep folds them.
 */
export async function scoreDirtyAccounts(
  store: AccountStateStore,
  detector: Detector,
  opts: { maxAccounts: number },
): Promise<{ scored: number; raised: number }> {
  let scored = 0;
  let raised = 0;
  for (const accountId of await store.dirtyAccounts(opts.maxAccounts)) {
    const input = await store.loadForFold(accountId, MAX_FOLD);
    if (input.prompts.length === 0) continue;
    const result = foldPrompts(input, detector);
    if (await store.commitFold(accountId, result)) {
      scored++;
      if (result.raised) raised++;
    }
  }
  return { scored, raised };
}
