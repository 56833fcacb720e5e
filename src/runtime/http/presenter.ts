import type { AccountReadModel, CampaignMember, CampaignRecord } from '../../app/queries.js';
import type { Verdict } from '../../model/verdicts.js';

/*
 * How read models go out over HTTP, in one place: scores to 4 decimals, times as ISO-8601, the
 * displayed tier (its own or its campaign's) beside the account's own.
 */

export const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export function presentAccount(m: AccountReadModel) {
  const a = m.account;
  return {
    accountId: a.accountId,
    score: a.score === null ? null : round4(a.score),
    tier: m.tier,
    flagged: m.flagged,
    actions: m.actions,
    clusterId: m.campaign?.clusterId ?? null,
    campaign: m.campaign ? { clusterId: m.campaign.clusterId, tier: m.campaign.tier, url: `/v1/campaigns/${m.campaign.clusterId}`, ...(m.campaign.links ? { links: m.campaign.links } : {}) } : null,
    counts: { prompts: a.prompts, pendingScore: a.pending },
    firstSeen: iso(a.firstSeen),
    lastSeen: iso(a.lastSeen),
    scoredAt: isoOrNull(a.scoredAt),
    evidence: a.evidence,
    verdict: m.verdict ? presentVerdict(m.verdict) : null,
  };
}

export function presentVerdict(v: Verdict & { allowListed?: boolean }) {
  const { accounts, nats, at, ...rest } = v;
  return { ...rest, at: iso(at), nats: Math.round(nats * 100) / 100, accounts: Object.keys(accounts).length };
}

export function presentCampaignSummary(c: CampaignRecord) {
  return { clusterId: c.clusterId, size: c.size, score: round4(c.score), tier: c.tier, topAreas: c.topAreas, firstSeen: isoOrNull(c.firstTs), lastSeen: isoOrNull(c.lastTs) };
}

export function presentCampaign(c: CampaignRecord, members?: readonly CampaignMember[]) {
  return {
    ...presentCampaignSummary(c),
    members: members ? members.map((m) => ({ ...m, score: m.score === null ? null : round4(m.score) })) : c.members,
    links: c.links,
    graph: { edges: c.graph ?? [] },
    examplePromptIds: c.examplePromptIds,
    timeline: c.timeline.map(({ dayTs, ...d }) => ({ day: iso(dayTs).slice(0, 10), ...d })),
    rates: c.rates,
    releasePivots: c.releasePivots,
    evidence: c.evidence,
  };
}
