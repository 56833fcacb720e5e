import type { VectorIndex } from '../ports/vector-index.js';
import type { Detector } from '../scoring/detector.js';
import type { Profile } from '../scoring/profile.js';
import { scoreProfile } from '../scoring/score.js';
import type { ClassifiedTraffic } from '../scoring/traffic.js';
import { clusterAccounts } from './cluster-accounts.js';
import { linkAccounts, linkOptionsOf } from './link-accounts.js';
import { accountVerdict, joinCampaignFleets, type AccountVerdict, type CampaignScore } from './score-campaigns.js';
import { behavioursOf } from './fleet-signature.js';
import type { LinkPrompt } from './types.js';

export interface CampaignFindings {
  campaigns: CampaignScore[];
  verdicts: Map<string, AccountVerdict>;
}

/** Link, cluster and score in one pass: what `scan` and `eval` run over a whole traffic file. */
export function findCampaigns(
  prompts: readonly LinkPrompt[],
  profiles: ReadonlyMap<string, Profile>,
  detector: Detector,
  index: VectorIndex,
): CampaignFindings {
  const clusters = clusterAccounts(linkAccounts(prompts, index, linkOptionsOf(detector.params)), detector.params.linking.threshold);
  const campaigns = joinCampaignFleets(clusters, profiles, behavioursOf(profiles), detector);
  const byMember = new Map<string, CampaignScore>();
  for (const c of campaigns) for (const m of c.members) byMember.set(m, c);
  const verdicts = new Map<string, AccountVerdict>();
  for (const [accountId, p] of profiles) verdicts.set(accountId, accountVerdict(accountId, scoreProfile(p, detector), byMember.get(accountId)));
  return { campaigns, verdicts };
}

export function linkPromptsOf(t: ClassifiedTraffic): LinkPrompt[] {
  return t.samples.map((s, i) => ({ ...s, vector: t.vectors[i]! }));
}
