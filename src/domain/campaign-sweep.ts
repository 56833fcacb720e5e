import { clusterAccounts } from '../campaigns/cluster-accounts.js';
import { keyEdges, type KeyUses } from '../campaigns/link-accounts.js';
import { scoreCampaigns, type CampaignScore } from '../campaigns/score-campaigns.js';
import type { Detector } from '../scoring/detector.js';
import { emptyProfile, mergeProfiles, type Profile } from '../scoring/profile.js';
import { actionsFor, type FiredAction } from '../scoring/actions.js';
import { TIERS, type Tier } from '../scoring/score.js';

/** What the live campaign sweep needs from storage; the Redis implementation lives in src/stores. */
export interface CampaignStore {
  /** Per account, the link keys of its folded prompts with counts, and its prompt count. */
  linkState(): Promise<{ uses: KeyUses; sizes: Map<string, number> }>;
  profiles(accountIds: readonly string[]): Promise<Map<string, Profile>>;
  /** Tiers of the campaigns saved last time, by id. */
  previousTiers(): Promise<Map<string, Tier>>;
  save(campaigns: readonly LiveCampaign[], raised: readonly CampaignRaise[]): Promise<void>;
}

/** A campaign that moved up a tier, as its event carries it: with the actions it fires on its heirs. */
export interface CampaignRaise {
  clusterId: string;
  from: Tier;
  to: Tier;
  score: number;
  size: number;
  heirs: string[];
  actions: FiredAction[];
}

export interface LiveCampaign extends CampaignScore {
  /** The members pooled: first/last activity and per-day volume come from it. */
  pooled: Profile;
}

/**
 * Rebuilds campaigns from the link keys every fold adds to (the incremental part), so a sweep costs
 * one pass over accounts' key counts, not over prompts. Only clusters whose pooled tier is review or
 * block are campaigns; a campaign moving up a tier is announced once.
 */
export async function sweepCampaigns(store: CampaignStore, detector: Detector): Promise<{ campaigns: number; accounts: number; raised: number }> {
  const { uses, sizes } = await store.linkState();
  const { threshold, maxKeyShare, ubiquitousFrom, hintCap } = detector.params.linking;
  const clusters = clusterAccounts(keyEdges(uses, sizes, { maxKeyShare, ubiquitousFrom, hintCap }), threshold);
  const profiles = await store.profiles(clusters.flatMap((c) => c.members));
  const campaigns: LiveCampaign[] = scoreCampaigns(clusters, profiles, detector)
    .filter((c) => c.campaign)
    .map((c) => ({ ...c, pooled: c.members.map((m) => profiles.get(m)).filter((p): p is Profile => !!p).reduce(mergeProfiles, emptyProfile()) }));
  const before = await store.previousTiers();
  const raised: CampaignRaise[] = campaigns.flatMap((c) => {
    const from = before.get(c.clusterId) ?? 'none';
    if (TIERS.indexOf(c.tier) <= TIERS.indexOf(from)) return [];
    const actions = actionsFor(detector.params.actions, { tier: c.tier, prompts: c.pooled.n, campaign: { clusterId: c.clusterId, tier: c.tier } });
    return [{ clusterId: c.clusterId, from, to: c.tier, score: c.score, size: c.members.length, heirs: c.heirs, actions }];
  });
  await store.save(campaigns, raised);
  return { campaigns: campaigns.length, accounts: campaigns.reduce((n, c) => n + c.members.length, 0), raised: raised.length };
}
