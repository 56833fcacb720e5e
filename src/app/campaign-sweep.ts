import { DAY_MS } from '../model/time.js';
import { clusterAccounts } from '../model/campaigns/cluster-accounts.js';
import { keyEdges, linkOptionsOf, type KeyUses } from '../model/campaigns/link-accounts.js';
import type { Behaviour } from '../model/campaigns/fleet-signature.js';
import { joinCampaignFleets, type CampaignScore } from '../model/campaigns/score-campaigns.js';
import { campaignRates, type CampaignRates } from '../model/fleet/campaign-rates.js';
import type { Release } from '../model/fleet/fleet-counts.js';
import { releasePivot, type Adoption, type ReleasePivot } from '../model/fleet/release-pivot.js';
import type { Detector } from '../model/scoring/detector.js';
import { BUCKET_MS, emptyProfile, mergeProfiles, type Profile } from '../model/scoring/profile.js';
import type { CampaignRecord } from './queries.js';
import { actionsFor, type FiredAction } from '../model/scoring/actions.js';
import { TIERS, type Tier } from '../model/scoring/score.js';

/** What the live campaign sweep needs from storage; the Redis implementation lives in src/adapters/redis. */
export interface CampaignStore {
  linkState(): Promise<LinkState>;
  profiles(accountIds: readonly string[]): Promise<Map<string, Profile>>;
  /** Tiers of the campaigns saved last time, by id. */
  previousTiers(): Promise<Map<string, Tier>>;
  /** Accounts active after a release and those that moved to it: the population's and the members'. */
  adoption(release: string, members: readonly string[]): Promise<{ population: Adoption; members: Adoption }>;
  /** Release pivots already announced, as `clusterId|release`. */
  announcedPivots(): Promise<Set<string>>;
  save(campaigns: readonly LiveCampaign[], raised: readonly CampaignRaise[], pivots: readonly PivotEvent[]): Promise<void>;
}

/** A campaign's first pivot to a release, as its `campaign.release_pivot` event carries it. */
export interface PivotEvent extends ReleasePivot {
  clusterId: string;
  size: number;
}

/** Per account: the link keys of its folded prompts with counts, its prompt count and how it is run. */
export interface LinkState {
  uses: KeyUses;
  sizes: Map<string, number>;
  behaviours: Map<string, Behaviour>;
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
  rates: CampaignRates;
  /** One per configured release the campaign was active after. */
  releasePivots: ReleasePivot[];
}

/**
 * Rebuilds campaigns from the link keys every fold adds to (the incremental part), so a sweep costs
 * one pass over accounts' key counts, not over prompts. Only clusters whose pooled tier is review or
 * block are campaigns; a campaign moving up a tier is announced once.
 */
export async function sweepCampaigns(
  store: CampaignStore,
  detector: Detector,
  releases: readonly Release[] = [],
): Promise<{ campaigns: number; accounts: number; raised: number; pivots: number }> {
  const { uses, sizes, behaviours } = await store.linkState();
  const clusters = clusterAccounts(keyEdges(uses, sizes, linkOptionsOf(detector.params)), detector.params.linking.threshold);
  const profiles = await store.profiles(clusters.flatMap((c) => c.members));
  const campaigns: LiveCampaign[] = [];
  for (const c of joinCampaignFleets(clusters, profiles, behaviours, detector).filter((x) => x.campaign)) {
    const pooled = c.members.map((m) => profiles.get(m)).filter((p): p is Profile => !!p).reduce(mergeProfiles, emptyProfile());
    const releasePivots: ReleasePivot[] = [];
    for (const r of releases) {
      if (pooled.lastTs === null || pooled.lastTs < r.at) continue;
      const { population, members } = await store.adoption(r.name, c.members);
      releasePivots.push(releasePivot(r, members, population, detector.params.fleetMonitor));
    }
    campaigns.push({ ...c, pooled, rates: campaignRates(pooled), releasePivots });
  }
  const announced = await store.announcedPivots();
  const pivots: PivotEvent[] = campaigns.flatMap((c) =>
    c.releasePivots.filter((p) => p.pivoted && !announced.has(`${c.clusterId}|${p.release}`)).map((p) => ({ ...p, clusterId: c.clusterId, size: c.members.length })),
  );
  const before = await store.previousTiers();
  const raised: CampaignRaise[] = campaigns.flatMap((c) => {
    const from = before.get(c.clusterId) ?? 'none';
    if (TIERS.indexOf(c.tier) <= TIERS.indexOf(from)) return [];
    const actions = actionsFor(detector.params.actions, { tier: c.tier, prompts: c.pooled.n, campaign: { clusterId: c.clusterId, tier: c.tier } });
    return [{ clusterId: c.clusterId, from, to: c.tier, score: c.score, size: c.members.length, heirs: c.heirs, actions }];
  });
  await store.save(campaigns, raised, pivots);
  return { campaigns: campaigns.length, accounts: campaigns.reduce((n, c) => n + c.members.length, 0), raised: raised.length, pivots: pivots.length };
}

/** What the API reads of a saved campaign: raw values, presented by the HTTP layer. */
export function campaignRecord(c: LiveCampaign): CampaignRecord {
  const perDay = new Map<number, { prompts: number; outputTokens: number }>();
  for (const [bucket, n] of Object.entries(c.pooled.buckets)) {
    const dayTs = Math.floor((Number(bucket) * BUCKET_MS) / DAY_MS) * DAY_MS;
    const d = perDay.get(dayTs) ?? { prompts: 0, outputTokens: 0 };
    perDay.set(dayTs, { prompts: d.prompts + n, outputTokens: d.outputTokens + (c.pooled.tokenBuckets[bucket] ?? 0) });
  }
  return {
    clusterId: c.clusterId,
    size: c.members.length,
    score: c.score,
    tier: c.tier,
    topAreas: c.evidence.topSubAreas,
    firstTs: c.pooled.firstTs,
    lastTs: c.pooled.lastTs,
    members: c.members,
    links: c.links,
    graph: c.graph,
    examplePromptIds: c.evidence.examplePromptIds,
    timeline: [...perDay].sort((a, b) => a[0] - b[0]).map(([dayTs, d]) => ({ dayTs, ...d })),
    rates: c.rates,
    releasePivots: c.releasePivots,
    evidence: c.evidence,
  };
}

