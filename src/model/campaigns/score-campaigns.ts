import type { Detector } from '../scoring/detector.js';
import { emptyProfile, mergeProfiles, type Profile } from '../scoring/profile.js';
import { isFlagged, scoreProfile, TIERS, type AccountScore, type Tier } from '../scoring/score.js';
import { joinFleets, type Behaviour } from './fleet-signature.js';
import { campaignGraph, type GraphEdge } from './campaign-graph.js';
import type { Cluster, ReasonKind } from './types.js';

export interface LinkSummary {
  kind: ReasonKind;
  key: string;
  /** Edges of the cluster this reason appears on. */
  edges: number;
  weight: number;
  examplePromptIds: string[];
}

export interface CampaignScore extends AccountScore {
  clusterId: string;
  members: string[];
  /** Only a cluster whose pooled tier is review or block is a campaign; others keep no clusterId. */
  campaign: boolean;
  /**
   * Members that take the campaign's tier: those whose own prompts give at least `inheritMinNats`
   * of evidence, so an account that infrastructure alone chained in is not condemned by neighbours.
   */
  heirs: string[];
  links: LinkSummary[];
  /** The member-to-member links an analyst's graph draws (campaign-graph.ts). */
  graph: GraphEdge[];
}

const TOP_LINKS = 8;
/** Edges drawn per campaign: every member's strongest link, then the strongest others. */
const GRAPH_EDGES = 400;

/**
 * Pools each cluster's members into one profile and scores it like an account. A member whose own
 * traffic is a single-template job (a benchmark run, a batch job) stays out of the pool and keeps
 * its templated-job excuse, unless it shares its template with more accounts than a handful of
 * customers running one public harness would be (`templatedJob.maxAccounts`): a wrapper a whole
 * fleet shares is no customer's harness, but a team whose members run a public benchmark is still
 * a team of customers.
 */
export function scoreCampaigns(clusters: readonly Cluster[], profiles: ReadonlyMap<string, Profile>, detector: Detector): CampaignScore[] {
  const { inheritMinNats } = detector.params.linking;
  const { maxAccounts } = detector.params.templatedJob;
  return clusters.map((c) => {
    const fleetTemplate = (e: Cluster['edges'][number]) => e.reasons.some((r) => r.kind === 'template' && r.accountsWithKey > maxAccounts);
    const templateLinked = new Set(c.edges.filter(fleetTemplate).flatMap((e) => [e.a, e.b]));
    const accounts = (m: string) => (templateLinked.has(m) ? c.members.length : 1);
    const own = new Map(c.members.map((m) => [m, scoreProfile(profiles.get(m) ?? emptyProfile(), detector, accounts(m)).evidence]));
    let pooled: Profile | undefined;
    for (const m of c.members) {
      const p = profiles.get(m);
      if (p && own.get(m)!.templatedJobDiscount < 1) pooled = pooled ? mergeProfiles(pooled, p) : p;
    }
    const s = scoreProfile(pooled ?? emptyProfile(), detector, c.members.length);
    const campaign = isFlagged(s.tier);
    const heirs = campaign ? c.members.filter((m) => own.get(m)!.nats >= inheritMinNats) : [];
    return { ...s, clusterId: c.id, members: c.members, campaign, heirs, links: summarise(c), graph: campaignGraph(c, GRAPH_EDGES) };
  });
}

/**
 * Scores clusters, then joins those that are campaigns on their own evidence where their fleet
 * signatures match (fleet-signature.ts), and scores the joined ones: waves of one fleet become one
 * campaign, and nobody is made a campaign member by a signature alone.
 */
export function joinCampaignFleets(clusters: readonly Cluster[], profiles: ReadonlyMap<string, Profile>, behaviours: ReadonlyMap<string, Behaviour>, detector: Detector): CampaignScore[] {
  const scored = scoreCampaigns(clusters, profiles, detector);
  const eligible = new Set(scored.filter((c) => c.campaign).map((c) => c.clusterId));
  const joined = joinFleets(clusters, eligible, behaviours, detector.params.fleetLinking);
  if (!joined.merges.length) return scored;
  // Only the joined clusters are scored again: the others are the same members under the same id.
  const before = new Map(scored.map((c) => [c.clusterId, c]));
  const unchanged = (c: Cluster) => before.get(c.id)?.members.length === c.members.length;
  const rescored = new Map(scoreCampaigns(joined.clusters.filter((c) => !unchanged(c)), profiles, detector).map((c) => [c.clusterId, c]));
  return joined.clusters.map((c) => (unchanged(c) ? before.get(c.id)! : rescored.get(c.id)!));
}

export interface AccountVerdict extends AccountScore {
  clusterId: string | null;
  /** The campaign's pooled score, when the account belongs to one. */
  campaign: { clusterId: string; size: number; score: number; tier: Tier; links: LinkSummary[] } | null;
}

/** An heir of a campaign takes its tier where that is higher: a small fleet member is flagged. */
export function accountVerdict(accountId: string, own: AccountScore, campaign: CampaignScore | undefined): AccountVerdict {
  if (!campaign?.campaign || !campaign.heirs.includes(accountId)) return { ...own, clusterId: null, campaign: null };
  const tier = TIERS.indexOf(campaign.tier) > TIERS.indexOf(own.tier) ? campaign.tier : own.tier;
  return {
    score: Math.max(own.score, campaign.score),
    tier,
    evidence: own.evidence,
    clusterId: campaign.clusterId,
    campaign: { clusterId: campaign.clusterId, size: campaign.members.length, score: campaign.score, tier: campaign.tier, links: campaign.links },
  };
}

function summarise(c: Cluster): LinkSummary[] {
  const by = new Map<string, LinkSummary>();
  for (const e of c.edges) {
    for (const r of e.reasons) {
      const id = `${r.kind}\u0000${r.key}`;
      let s = by.get(id);
      if (!s) by.set(id, (s = { kind: r.kind, key: r.key, edges: 0, weight: 0, examplePromptIds: [] }));
      s.edges++;
      s.weight += r.weight;
      for (const p of r.examplePromptIds) if (s.examplePromptIds.length < 3 && !s.examplePromptIds.includes(p)) s.examplePromptIds.push(p);
    }
  }
  return [...by.values()].sort((a, b) => b.weight - a.weight).slice(0, TOP_LINKS).map((s) => ({ ...s, weight: Math.round(s.weight * 1e4) / 1e4 }));
}
