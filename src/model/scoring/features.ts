import type { Profile } from './profile.js';

/**
 * Interpretable per-account measurements of how an account behaves. Only `templateShare` enters the
 * score (the templated-job rule); the rest are reported to analysts beside the evidence: organic
 * apps are as round-the-clock and regular as any fleet, so none of them condemns an account.
 */
export interface FeatureValues {
  prompts: number;
  /** exp(entropy) of the sub-area histogram: how many sub-areas the account effectively covers. */
  subAreaCoverage: number;
  /** Sub-area evenness: entropy / log(distinct sub-areas), 0 when one sub-area. */
  subAreaEvenness: number;
  distinctSubAreas: number;
  highValueShare: number;
  /** exp(entropy) over high-value areas (software, agentic, maths, reasoning): 1 to 4. */
  highValueBreadth: number;
  /** Share of skeleton-eligible prompts that share the most common skeleton. */
  templateShare: number;
  peak24h: number;
  activeDays: number;
  /** Hour-of-day entropy / log 24: 1 is round-the-clock. */
  roundTheClock: number;
  /** Std-dev of log10 inter-arrival gaps: low is metronome-like. */
  gapSpread: number;
}

export function computeFeatures(p: Profile): FeatureValues {
  const n = Math.max(1, p.n);
  const sub = entropy(Object.values(p.subAreas));
  const distinct = Object.keys(p.subAreas).length;
  const topSkeleton = Math.max(0, ...Object.values(p.skeletons));
  const gapMean = p.gaps.count ? p.gaps.sum / p.gaps.count : 0;
  return {
    prompts: p.n,
    subAreaCoverage: Math.exp(sub),
    subAreaEvenness: distinct > 1 ? sub / Math.log(distinct) : 0,
    distinctSubAreas: distinct,
    highValueShare: p.highValue / n,
    highValueBreadth: Math.exp(entropy(Object.values(p.highValueByArea))),
    templateShare: p.skeletonEligible ? Math.min(1, topSkeleton / p.skeletonEligible) : 0,
    peak24h: p.peak24h,
    activeDays: p.firstTs === null || p.lastTs === null ? 0 : (p.lastTs - p.firstTs) / 864e5,
    roundTheClock: entropy(p.hourOfDay) / Math.log(24),
    gapSpread: p.gaps.count > 1 ? Math.sqrt(Math.max(0, p.gaps.sumSq / p.gaps.count - gapMean * gapMean)) : 0,
  };
}

export function entropy(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return 0;
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / total) * Math.log(c / total);
  return h;
}
