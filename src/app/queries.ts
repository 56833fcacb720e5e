/**
 * The read side: what the API shows of accounts and campaigns, as read models with raw values
 * (epoch milliseconds, unrounded scores); presentation (rounding, ISO dates) is the HTTP layer's.
 * Every look-up of many accounts or campaigns is one batched call to the store, never one per item.
 */
import type { CampaignRates } from '../model/fleet/campaign-rates.js';
import type { ReleasePivot } from '../model/fleet/release-pivot.js';
import type { LinkSummary } from '../model/campaigns/score-campaigns.js';
import type { GraphEdge } from '../model/campaigns/campaign-graph.js';
import { actionsFor, type ActionRule, type FiredAction } from '../model/scoring/actions.js';
import { scoreBand, type Calibration } from '../model/scoring/calibration.js';
import { isFlagged, TIERS, type AccountScore, type Tier } from '../model/scoring/score.js';
import { allowListed, type Verdict } from '../model/verdicts.js';
import { NotFoundError } from './errors.js';
import type { VerdictStore } from './verdicts.js';

export interface AccountRecord {
  accountId: string;
  prompts: number;
  firstSeen: number;
  lastSeen: number;
  /** Prompts stored but not yet folded into the score. */
  pending: number;
  score: number | null;
  tier: Tier;
  evidence: AccountScore['evidence'] | null;
  scoredAt: number | null;
}

/** A campaign as the sweep saved it. */
export interface CampaignRecord {
  clusterId: string;
  size: number;
  score: number;
  tier: Tier;
  topAreas: { subArea: string; share: number }[];
  firstTs: number | null;
  lastTs: number | null;
  members: string[];
  links: LinkSummary[];
  /** Member-to-member links to draw; absent on campaigns saved before graphs were kept. */
  graph?: GraphEdge[];
  examplePromptIds: string[];
  /** Prompts and output tokens per UTC day (the day's start, epoch ms). */
  timeline: { dayTs: number; prompts: number; outputTokens: number }[];
  rates: CampaignRates;
  releasePivots: ReleasePivot[];
  evidence: AccountScore['evidence'];
}

export interface Membership {
  clusterId: string;
  tier: Tier;
}

export interface AccountReads {
  accounts(ids: readonly string[]): Promise<Map<string, AccountRecord>>;
  /** Account ids by score, highest first, within [minScore, maxScore). */
  listByScore(opts: { minScore: number; maxScore: number; offset: number; limit: number }): Promise<string[]>;
}

export interface CampaignReads {
  campaigns(ids: readonly string[]): Promise<Map<string, CampaignRecord>>;
  /** Campaign ids by score, highest first. */
  listIds(opts: { minScore: number; offset: number; limit: number }): Promise<string[]>;
  memberships(accountIds: readonly string[]): Promise<Map<string, Membership>>;
}

export interface AccountReadModel {
  account: AccountRecord;
  /**
   * What a detector acts on: the account's own tier, or its campaign's where that is higher; none
   * while a benign verdict still covers it (no new evidence since).
   */
  tier: Tier;
  flagged: boolean;
  actions: FiredAction[];
  campaign: (Membership & { links?: LinkSummary[] }) | null;
  verdict: (Verdict & { allowListed: boolean }) | null;
}

/** What account queries read. */
export interface AccountQueryReads {
  accounts: AccountReads;
  campaigns: CampaignReads;
  verdicts: Pick<VerdictStore, 'covering'>;
}

/** How many of a campaign's strongest links an account shows: what ties it to the others. */
const ACCOUNT_LINKS = 3;

function accountModel(account: AccountRecord, c: Calibration, rules: readonly ActionRule[], campaign: AccountReadModel['campaign'], verdict: Verdict | undefined): AccountReadModel {
  const listed = allowListed(verdict, account.accountId, account.evidence?.nats ?? 0, c.nats.review);
  const tier = listed ? 'none' : campaign && TIERS.indexOf(campaign.tier) > TIERS.indexOf(account.tier) ? campaign.tier : account.tier;
  return {
    account,
    tier,
    flagged: isFlagged(tier),
    actions: actionsFor(rules, { tier, prompts: account.prompts, campaign: listed ? null : campaign }),
    campaign,
    verdict: verdict ? { ...verdict, allowListed: listed } : null,
  };
}

export async function accountDetail(reads: AccountQueryReads, accountId: string, c: Calibration, rules: readonly ActionRule[]): Promise<AccountReadModel> {
  const [account, membership, verdicts] = await Promise.all([reads.accounts.accounts([accountId]), reads.campaigns.memberships([accountId]), reads.verdicts.covering([accountId])]);
  const a = account.get(accountId);
  if (!a) throw new NotFoundError(`account ${accountId}`);
  const m = membership.get(accountId);
  const links = m && (await reads.campaigns.campaigns([m.clusterId])).get(m.clusterId)?.links.slice(0, ACCOUNT_LINKS);
  return accountModel(a, c, rules, m ? { ...m, ...(links ? { links } : {}) } : null, verdicts.get(accountId));
}

/** A page of accounts by score, optionally of one tier (a tier is a score band of the calibration). */
export async function accountPage(
  reads: AccountQueryReads,
  q: { tier?: Tier; minScore: number; offset: number; limit: number },
  calibration: Calibration,
  rules: readonly ActionRule[],
): Promise<{ items: AccountReadModel[]; fetched: number }> {
  const [lo, hi] = scoreBand(q.tier, calibration);
  const ids = await reads.accounts.listByScore({ minScore: Math.max(lo, q.minScore), maxScore: hi, offset: q.offset, limit: q.limit });
  const [accounts, memberships, verdicts] = await Promise.all([reads.accounts.accounts(ids), reads.campaigns.memberships(ids), reads.verdicts.covering(ids)]);
  const items = ids.flatMap((id) => {
    const a = accounts.get(id);
    return a ? [accountModel(a, calibration, rules, memberships.get(id) ?? null, verdicts.get(id))] : [];
  });
  return { items, fetched: ids.length };
}

export interface CampaignMember {
  accountId: string;
  score: number | null;
  ownTier: Tier;
  prompts: number;
}

export async function campaignDetail(reads: { accounts: AccountReads; campaigns: CampaignReads }, clusterId: string): Promise<{ campaign: CampaignRecord; members: CampaignMember[] }> {
  const campaign = await campaignOrThrow(reads.campaigns, clusterId);
  const accounts = await reads.accounts.accounts(campaign.members);
  const members = campaign.members.map((accountId) => {
    const a = accounts.get(accountId);
    return { accountId, score: a?.score ?? null, ownTier: a?.tier ?? 'none', prompts: a?.prompts ?? 0 };
  });
  return { campaign, members };
}

export async function campaignPage(reads: CampaignReads, q: { minScore: number; offset: number; limit: number }): Promise<{ items: CampaignRecord[]; fetched: number }> {
  const ids = await reads.listIds(q);
  const found = await reads.campaigns(ids);
  return { items: ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : [])), fetched: ids.length };
}

export async function campaignOrThrow(reads: CampaignReads, clusterId: string): Promise<CampaignRecord> {
  const c = (await reads.campaigns([clusterId])).get(clusterId);
  if (!c) throw new NotFoundError(`campaign ${clusterId}`);
  return c;
}
