import type { Tier } from './score.js';
import { z } from 'zod';

/**
 * What an account's evidence means, from organic accounts only. The reference is the evidence (in
 * nats) of every organic account of a traffic sample the model was not trained on; an account's
 * `score` is 1 minus its organic exceedance rate, the share of organic accounts with at least as
 * much evidence: score 0.999 reads "1 in 1,000 organic accounts scores this high". Tier thresholds
 * (on the same score) are the lowest at which, with `confidence`, at most the tier's target share
 * of organic accounts would reach the tier; a plain sample quantile lands on the target only on
 * average, so fresh traffic would overshoot it about half the time.
 */
const tiers = z.object({ watch: z.number(), review: z.number(), block: z.number() });
export const calibrationSchema = z.object({
  id: z.string().min(1),
  source: z.string(),
  organicAccounts: z.number().int().nonnegative(),
  confidence: z.number().min(0).max(1),
  targets: z.object({ watch: z.number().min(0).max(1), review: z.number().min(0).max(1), block: z.number().min(0).max(1) }),
  /** Thresholds on the score. */
  thresholds: tiers,
  /** The same thresholds as evidence in nats. */
  nats: tiers,
  /** Evidence of the reference accounts that had any, highest first; the rest had none. */
  reference: z.array(z.number().nonnegative()),
});

export type Calibration = z.infer<typeof calibrationSchema>;

/** Scores without tiers (every account `none`): what calibration itself scores with. */
export const UNCALIBRATED: Calibration = {
  id: 'uncalibrated',
  source: 'none',
  organicAccounts: 0,
  confidence: 0,
  targets: { watch: 0, review: 0, block: 0 },
  thresholds: { watch: Infinity, review: Infinity, block: Infinity },
  nats: { watch: Infinity, review: Infinity, block: Infinity },
  reference: [],
};

export interface CalibrationTargets {
  watch: number;
  review: number;
  block: number;
  confidence: number;
  /** Block also needs this much evidence over review, whatever the reference size. */
  blockMarginNats: number;
}

/** `nats`: the evidence of every organic reference account (the share is over all of them). */
export function calibrate(nats: readonly number[], opts: { id: string; source: string; targets: CalibrationTargets }): Calibration {
  const { confidence, blockMarginNats, ...targets } = opts.targets;
  const sorted = [...nats].sort((a, b) => b - a);
  const threshold = (target: number) => {
    const k = allowedExceedances(sorted.length, target, confidence);
    return k < sorted.length ? nextUp(sorted[k]!) : 0;
  };
  const review = threshold(targets.review);
  const n = { watch: Math.min(threshold(targets.watch), review), review, block: Math.max(threshold(targets.block), review + blockMarginNats) };
  const c: Calibration = {
    id: opts.id,
    source: opts.source,
    organicAccounts: sorted.length,
    confidence,
    targets,
    thresholds: { watch: 0, review: 0, block: 0 },
    nats: n,
    reference: sorted.filter((x) => x > 0).map((x) => Math.round(x * 1e3) / 1e3),
  };
  c.thresholds = { watch: scoreOf(n.watch, c), review: scoreOf(n.review, c), block: scoreOf(n.block, c) };
  return c;
}

/**
 * Share of organic reference accounts with at least `nats` of evidence: interpolated log-linearly
 * between reference accounts, and past the highest one extended by an exponential tail whose scale
 * is how fast the reference's own top ten thin out (at least 1 nat per factor e).
 */
export function organicExceedance(nats: number, c: Pick<Calibration, 'organicAccounts' | 'reference'>): number {
  const n = c.organicAccounts;
  const ref = c.reference;
  if (n === 0) return nats > 0 ? 0 : 1;
  if (nats <= 0) return 1;
  const at = (j: number) => (j + 1) / (n + 1);
  if (!ref.length || nats > ref[0]!) {
    const top = ref[0] ?? 0;
    const tenth = ref[Math.min(9, ref.length - 1)] ?? 0;
    const scale = Math.max(1, (top - tenth) / Math.log(Math.max(2, Math.min(10, ref.length))));
    return at(0) * Math.exp(-(nats - top) / scale);
  }
  let k = 0;
  while (k < ref.length && ref[k]! >= nats) k++;
  // ref[k - 1] >= nats > ref[k] (or 0 past the list, where every account is)
  const hi = ref[k - 1]!;
  const lo = k < ref.length ? ref[k]! : 0;
  const eHi = at(k - 1);
  const eLo = k < ref.length ? at(k) : 1;
  const f = hi === lo ? 1 : (nats - lo) / (hi - lo);
  return Math.exp(Math.log(eLo) + f * (Math.log(eHi) - Math.log(eLo)));
}

/** The score an account with `nats` of evidence gets: 1 minus its organic exceedance rate. */
export function scoreOf(nats: number, c: Pick<Calibration, 'organicAccounts' | 'reference'>): number {
  return 1 - organicExceedance(nats, c);
}

/**
 * Largest k such that, with k of n organic accounts above a threshold, the one-sided
 * Clopper-Pearson upper bound on the organic rate is at most `target`; at least 0 (above every
 * reference account), which is where a small reference set lands for small targets.
 */
export function allowedExceedances(n: number, target: number, confidence: number): number {
  let k = 0;
  // The upper bound for k is within the target exactly when P(Bin(n, target) <= k) <= 1 - confidence.
  while (k + 1 < n && binomialCdf(k + 1, n, target) <= 1 - confidence) k++;
  return k;
}

function binomialCdf(k: number, n: number, p: number): number {
  if (p <= 0) return 1;
  if (p >= 1) return k >= n ? 1 : 0;
  let term = Math.pow(1 - p, n);
  let sum = term;
  for (let i = 1; i <= k; i++) {
    term *= ((n - i + 1) / i) * (p / (1 - p));
    sum += term;
  }
  return Math.min(1, sum);
}

function nextUp(x: number): number {
  return x + Math.max(1e-12, Math.abs(x) * 1e-9);
}

/** A tier is a band of scores: [lowest score of the tier, lowest of the next), for range queries. */
export function scoreBand(tier: Tier | undefined, c: Pick<Calibration, 'thresholds'>): [number, number] {
  const t = c.thresholds;
  switch (tier) {
    case undefined:
      return [0, Infinity];
    case 'none':
      return [0, t.watch];
    case 'watch':
      return [t.watch, t.review];
    case 'review':
      return [t.review, t.block];
    case 'block':
      return [t.block, Infinity];
  }
}
