/**
 * A release pivot: a campaign whose accounts moved to a newly released model within hours, while
 * organic accounts adopt a release over weeks. Both rates are read over the same window after the
 * release (the accounts active in it, and those of them that asked for the new model), so the
 * campaign is compared with the organic adoption curve at the same point, not with a fixed share.
 */
import { gStatistic } from './g-statistic.js';

export interface Adoption {
  /** Accounts active in the window after the release. */
  exposed: number;
  /** Those of them that asked for the released model in it. */
  adopted: number;
}

export interface ReleasePivot {
  release: string;
  at: string;
  campaign: Adoption & { share: number };
  organic: Adoption & { share: number };
  /** Likelihood ratio (nats) of the campaign's adoption rate against the organic one. */
  nats: number;
  pivoted: boolean;
}

/**
 * `population` counts every account; the campaign's own members are taken out of it to give the
 * organic baseline (with one pseudo-account either way, so an empty baseline is not zero).
 */
export function releasePivot(
  release: { name: string; at: number },
  members: Adoption,
  population: Adoption,
  opt: { pivotMinExposed: number; pivotMinNats: number },
): ReleasePivot {
  const organic = { exposed: Math.max(0, population.exposed - members.exposed), adopted: Math.max(0, population.adopted - members.adopted) };
  const q = (organic.adopted + 1) / (organic.exposed + 2);
  const nats = members.exposed ? gStatistic(members.adopted, members.exposed, q) : 0;
  const share = (a: Adoption) => (a.exposed ? Math.round((a.adopted / a.exposed) * 1e4) / 1e4 : 0);
  return {
    release: release.name,
    at: new Date(release.at).toISOString(),
    campaign: { ...members, share: share(members) },
    organic: { ...organic, share: share(organic) },
    nats: Math.round(nats * 100) / 100,
    pivoted: members.exposed >= opt.pivotMinExposed && nats >= opt.pivotMinNats,
  };
}
