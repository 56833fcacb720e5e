import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/**
 * Tier thresholds on the score, set from organic accounts only. A tier's threshold is the lowest
 * one at which, with `confidence`, at most its target share of organic accounts would reach it:
 * the (k+1)-th highest reference score for the largest k whose Clopper-Pearson upper bound on the
 * organic rate is within the target. A plain sample quantile lands on the target only on
 * average, so fresh traffic would overshoot it about half the time.
 */
export const calibrationSchema = z.object({
  id: z.string().min(1),
  source: z.string(),
  organicAccounts: z.number().int().nonnegative(),
  confidence: z.number().min(0).max(1),
  /** Review and block need at least this many prompts: a handful is never enough evidence. */
  minPrompts: z.number().int().nonnegative(),
  targets: z.object({ watch: z.number().min(0).max(1), review: z.number().min(0).max(1), block: z.number().min(0).max(1) }),
  thresholds: z.object({ watch: z.number(), review: z.number(), block: z.number() }),
});

export type Calibration = z.infer<typeof calibrationSchema>;

/** Scores without tiers (every account `none`): what calibration itself scores with. */
export const UNCALIBRATED: Calibration = {
  id: 'uncalibrated',
  source: 'none',
  organicAccounts: 0,
  confidence: 0,
  minPrompts: 0,
  targets: { watch: 0, review: 0, block: 0 },
  thresholds: { watch: Infinity, review: Infinity, block: Infinity },
};

export const DEFAULT_TARGETS = { watch: 0.02, review: 0.005, block: 0.001 } as const;
export const DEFAULT_CONFIDENCE = 0.9;
export const DEFAULT_MIN_PROMPTS = 10;
/** Block also needs this many logit points (odds x e) above review, whatever the reference size. */
const BLOCK_MARGIN_LOGIT = 1;

export async function loadCalibration(file: string): Promise<Calibration> {
  return calibrationSchema.parse(JSON.parse(await readFile(file, 'utf8')));
}

/** `scores`: one per organic reference account, all of them (the share is over all of them). */
export function calibrate(
  scores: readonly number[],
  opts: { id: string; source: string; targets?: Calibration['targets']; confidence?: number; minPrompts?: number },
): Calibration {
  const targets = opts.targets ?? { ...DEFAULT_TARGETS };
  const confidence = opts.confidence ?? DEFAULT_CONFIDENCE;
  const sorted = [...scores].sort((a, b) => b - a);
  const threshold = (target: number) => {
    const k = allowedExceedances(sorted.length, target, confidence);
    return k < sorted.length ? nextUp(sorted[k]!) : -Infinity;
  };
  const review = threshold(targets.review);
  return {
    id: opts.id,
    source: opts.source,
    organicAccounts: sorted.length,
    confidence,
    minPrompts: opts.minPrompts ?? DEFAULT_MIN_PROMPTS,
    targets,
    thresholds: {
      watch: Math.min(threshold(targets.watch), review),
      review,
      block: Math.max(threshold(targets.block), shiftLogit(review, BLOCK_MARGIN_LOGIT)),
    },
  };
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

function shiftLogit(score: number, by: number): number {
  if (!Number.isFinite(score) || score <= 0 || score >= 1) return score;
  return 1 / (1 + Math.exp(-(Math.log(score / (1 - score)) + by)));
}

function nextUp(x: number): number {
  return x + Math.max(1e-12, Math.abs(x) * 1e-9);
}
