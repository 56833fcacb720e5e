import { TIERS, type Tier } from './score.js';

/** What a detector can wire to enforcement, mildest first. */
export const ACTIONS = ['watch', 'rate_limit', 'review', 'suspend', 'campaign_takedown'] as const;
export type Action = (typeof ACTIONS)[number];

/** One configured rule (models/detection.json `actions`): the action fires when every condition holds. */
export interface ActionRule {
  action: Action;
  /** The account's displayed tier (its own, or its campaign's where higher) is at least this. */
  minTier?: Tier;
  /** The account has sent at least this many prompts. */
  minPrompts?: number;
  /** The account is an heir of a campaign whose tier is at least this. */
  campaignMinTier?: Tier;
}

export interface FiredAction {
  action: Action;
  /** The conditions that held, in words: why the action fired. */
  why: string;
}

export interface ActionSubject {
  tier: Tier;
  prompts: number;
  campaign?: { clusterId: string; tier: Tier } | null;
}

const atLeast = (t: Tier, min: Tier) => TIERS.indexOf(t) >= TIERS.indexOf(min);

/** The actions the rules fire for an account, each with why; pure, so events, webhooks and the API agree. */
export function actionsFor(rules: readonly ActionRule[], s: ActionSubject): FiredAction[] {
  const fired: FiredAction[] = [];
  for (const r of rules) {
    const why: string[] = [];
    if (r.minTier) {
      if (!atLeast(s.tier, r.minTier)) continue;
      why.push(`tier ${s.tier} (at least ${r.minTier})`);
    }
    if (r.minPrompts !== undefined) {
      if (s.prompts < r.minPrompts) continue;
      why.push(`${s.prompts} prompts (at least ${r.minPrompts})`);
    }
    if (r.campaignMinTier) {
      if (!s.campaign || !atLeast(s.campaign.tier, r.campaignMinTier)) continue;
      why.push(`member of campaign ${s.campaign.clusterId} at tier ${s.campaign.tier} (at least ${r.campaignMinTier})`);
    }
    if (why.length) fired.push({ action: r.action, why: why.join(' and ') });
  }
  return fired;
}
