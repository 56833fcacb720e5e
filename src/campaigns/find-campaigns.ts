import type { VectorIndex } from '../domain/vector-index.js';
import type { Calibration } from '../scoring/calibration.js';
import type { Profile } from '../scoring/profile.js';
import { scoreProfile } from '../scoring/score.js';
import type { ClassifiedTraffic } from '../scoring/traffic.js';
import { clusterAccounts } from './cluster-accounts.js';
import { linkAccounts, type LinkOptions } from './link-accounts.js';
import { accountVerdict, scoreCampaigns, type AccountVerdict, type CampaignScore } from './score-campaigns.js';
import type { LinkPrompt } from './types.js';

/**
 * The edge weight a cluster needs when no organic reference was linked: above what organic
 * accounts reached on the dev reference (under 0.15, templated batch jobs apart), below what one
 * template on a third of two small accounts' prompts gives at fleet-scale rarity.
 */
export const DEFAULT_LINK_THRESHOLD = 0.3;

export interface CampaignFindings {
  campaigns: CampaignScore[];
  verdicts: Map<string, AccountVerdict>;
}

/** Link, cluster and score in one pass: what `scan` and `eval` run over a whole traffic file. */
export function findCampaigns(
  prompts: readonly LinkPrompt[],
  profiles: ReadonlyMap<string, Profile>,
  calibration: Calibration,
  index: VectorIndex,
  threshold = DEFAULT_LINK_THRESHOLD,
  link: Partial<LinkOptions> = {},
): CampaignFindings {
  const clusters = clusterAccounts(linkAccounts(prompts, index, link), threshold);
  const campaigns = scoreCampaigns(clusters, profiles, calibration);
  const byMember = new Map<string, CampaignScore>();
  for (const c of campaigns) for (const m of c.members) byMember.set(m, c);
  const verdicts = new Map<string, AccountVerdict>();
  for (const [accountId, p] of profiles) verdicts.set(accountId, accountVerdict(scoreProfile(p, calibration), byMember.get(accountId)));
  return { campaigns, verdicts };
}

/** HNSW parameters for the offline linking index: recall on near-duplicates matters, not on the tail. */
export const LINK_INDEX_PARAMS = { m: 12, efConstruction: 64, efSearch: 48 } as const;

export function linkPromptsOf(t: ClassifiedTraffic): LinkPrompt[] {
  return t.samples.map((s, i) => ({ ...s, vector: t.vectors[i]! }));
}
