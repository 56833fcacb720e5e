import { behaviourOf, type Behaviour } from '../model/campaigns/fleet-signature.js';
import { promptLinkKeys } from '../model/campaigns/prompt-keys.js';
import { promptFleetCounts, type PromptFleetCounts, type Release } from '../model/fleet/fleet-counts.js';
import { allowListed, type Verdict } from '../model/verdicts.js';
import type { VerdictStore } from './verdicts.js';
import { actionsFor, type FiredAction } from '../model/scoring/actions.js';
import { countWith, type Detector } from '../model/scoring/detector.js';
import { emptyProfile, upgradeProfile, type ClassifiedPrompt, type Profile } from '../model/scoring/profile.js';
import { scoreProfile, TIERS, type AccountScore, type Tier } from '../model/scoring/score.js';

export interface FoldInput {
  accountId: string;
  /** Optimistic-concurrency token: the fold commits only if nobody folded in between. */
  version: number;
  profile: Profile | null;
  tier: Tier;
  /** When the stored tier was set (epoch ms), if ever. */
  scoredAt: number | null;
  /** The oldest prompts stored for the account and not yet in its profile, in store order. */
  prompts: ClassifiedPrompt[];
}

export interface FoldResult {
  version: number;
  consumed: number;
  profile: Profile;
  score: AccountScore;
  previousTier: Tier;
  /** Campaign-linking keys (templates, infrastructure) of the folded prompts, with counts. */
  linkKeys: Record<string, number>;
  /** What the prompts add to the population monitors (only prompts that add something). */
  fleet: PromptFleetCounts[];
  /** How the account is run, for joining fleet waves (null until it has two prompts). */
  behaviour: Behaviour | null;
  /** Set when the account moved up a tier: detectors are told about escalations only. */
  raised?: { from: Tier; to: Tier };
  /** What the configured rules fire at the new tier, on its own evidence (carried on the event). */
  actions: FiredAction[];
}

/** What scoring needs from storage; the Redis implementation lives in src/adapters/redis. */
export interface AccountStateStore {
  /** Accounts with prompts not yet folded into their profile. */
  dirtyAccounts(limit: number): Promise<string[]>;
  loadForFold(accountId: string, maxPrompts: number): Promise<FoldInput>;
  /** Saves profile and score and drops the consumed prompts, atomically; false if `version` is stale. */
  commitFold(accountId: string, result: FoldResult): Promise<boolean>;
}

/**
 * Folds the input's prompts into the profile and rescores it. An account a benign verdict still
 * covers (no new evidence since) keeps tier none: it raises nothing, and once new evidence ends the
 * allow-list its rise is announced from none.
 */
export function foldPrompts(input: FoldInput, detector: Detector, releases: readonly Release[] = [], verdict?: Verdict): FoldResult {
  const profile = input.profile ? structuredClone(upgradeProfile(input.profile)) : emptyProfile();
  const linkKeys: Record<string, number> = {};
  const fleet: PromptFleetCounts[] = [];
  for (const p of input.prompts) {
    countWith(detector, profile, p);
    for (const key of promptLinkKeys(p.text, p.metadata)) linkKeys[key] = (linkKeys[key] ?? 0) + 1;
    const counts = promptFleetCounts(p, profile.identity.signupTs, releases, detector.params.fleetMonitor);
    if (counts.youngHour !== null || counts.releases.length) fleet.push(counts);
  }
  const scored = scoreProfile(profile, detector);
  const score = allowListed(verdict, input.accountId, scored.evidence.nats, detector.calibration.nats.review) ? { ...scored, tier: 'none' as const } : scored;
  const actions = actionsFor(detector.params.actions, { tier: score.tier, prompts: profile.n });
  const behaviour = behaviourOf(profile);
  // A benign verdict recorded after the last fold stood the stored tier down to none: a rise from
  // there on new evidence is announced.
  const previous = verdict?.verdict === 'benign' && verdict.at > (input.scoredAt ?? 0) ? 'none' : input.tier;
  const result: FoldResult = { version: input.version, consumed: input.prompts.length, profile, score, previousTier: previous, linkKeys, fleet, behaviour, actions };
  if (TIERS.indexOf(score.tier) > TIERS.indexOf(previous)) result.raised = { from: previous, to: score.tier };
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
  opts: { maxAccounts: number; releases?: readonly Release[]; verdicts?: Pick<VerdictStore, 'covering'> },
): Promise<{ scored: number; raised: number }> {
  let scored = 0;
  let raised = 0;
  const dirty = await store.dirtyAccounts(opts.maxAccounts);
  const verdicts = (await opts.verdicts?.covering(dirty)) ?? new Map<string, Verdict>();
  for (const accountId of dirty) {
    const input = await store.loadForFold(accountId, MAX_FOLD);
    if (input.prompts.length === 0) continue;
    const result = foldPrompts(input, detector, opts.releases, verdicts.get(accountId));
    if (await store.commitFold(accountId, result)) {
      scored++;
      if (result.raised) raised++;
    }
  }
  return { scored, raised };
}
