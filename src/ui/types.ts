/** The API's answers, as far as the workspace reads them (see the README's API section). */
export type Tier = 'none' | 'watch' | 'review' | 'block';
export type VerdictKind = 'malicious' | 'benign' | 'unsure';

export interface Verdict {
  subject: 'account' | 'campaign';
  id: string;
  verdict: VerdictKind;
  note: string;
  by: string;
  at: string;
  accounts: number;
  allowListed?: boolean;
}

export interface SubAreaShare {
  subArea: string;
  share: number;
}

export interface Account {
  accountId: string;
  score: number | null;
  tier: Tier;
  flagged: boolean;
  actions: { action: string; why: string }[];
  clusterId: string | null;
  campaign: { clusterId: string; tier: Tier } | null;
  counts: { prompts: number; pendingScore: number };
  firstSeen: string;
  lastSeen: string;
  evidence: { summary: string; nats: number; topSubAreas: SubAreaShare[]; curriculumShare: number } | null;
  verdict: Verdict | null;
  clusters?: (ClusterSummary & { prompts: number })[];
}

export interface CampaignSummary {
  clusterId: string;
  size: number;
  score: number;
  tier: Tier;
  topAreas: SubAreaShare[];
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface CampaignLink {
  kind: string;
  key: string;
  edges: number;
  weight: number;
  examplePromptIds: string[];
}

export interface Campaign extends CampaignSummary {
  members: { accountId: string; score: number | null; ownTier: Tier; prompts: number }[];
  links: CampaignLink[];
  graph: { edges: { a: string; b: string; weight: number; kinds: string[]; key: string }[] };
  timeline: { day: string; prompts: number; outputTokens: number }[];
  evidence: { summary: string };
  rates: { lastDay: { promptsPerHour: number }; peak: { promptsPerHour: number }; outputTokens: number } | null;
  releasePivots: { release: string; pivoted: boolean; campaign: { share: number }; organic: { share: number } }[];
}

export interface ClusterSummary {
  id: string;
  label: string;
  size: number;
  areas: Record<string, number>;
  accounts: number;
  firstSeen: string;
  lastSeen: string;
}

export interface ClusterDetail extends ClusterSummary {
  flaggedShare: number;
  topAccounts: { accountId: string; prompts: number; tier: Tier }[];
  daily: { day: string; prompts: number }[];
  examples: { promptId: string; accountId: string; text: string }[];
}

export interface MapPoint extends ClusterSummary {
  x: number;
  y: number;
  flaggedShare: number;
}

export interface SearchHit {
  promptId: string;
  accountId: string;
  clusterId: string | null;
  similarity: number;
  lexicalScore?: number | null;
  ts: string;
  text: string;
}

export interface AccountPrompt {
  promptId: string;
  ts: string;
  subArea: string;
  clusterId: string | null;
  text: string;
}

export interface Heatmap {
  subAreas: string[];
  days: string[];
  counts: number[][];
  prompts: number;
}

export interface RadarEvent {
  id: string;
  type: string;
  data: Record<string, unknown> & { at?: string; accountId?: string; clusterId?: string; to?: string; summary?: string };
}

export interface FleetRates {
  population: { youngDays: number; hours: { hour: string; prompts: number; outputTokens: number }[] };
  alerts?: unknown[];
}
