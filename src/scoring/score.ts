import { computeFeatures, type FeatureValues } from './features.js';
import type { Profile } from './profile.js';
import type { Calibration } from './calibration.js';

export type Tier = 'none' | 'watch' | 'review' | 'block';
export const TIERS: readonly Tier[] = ['none', 'watch', 'review', 'block'];

export interface FeatureEvidence {
  name: keyof FeatureValues;
  value: number;
  /** Logit points this feature adds to the score; 0 for features that are reported only. */
  contribution: number;
  why: string;
}

export interface Evidence {
  prompts: number;
  topSubAreas: { subArea: string; share: number }[];
  features: FeatureEvidence[];
  examplePromptIds: string[];
  calibration: string;
}

export interface AccountScore {
  score: number;
  tier: Tier;
  evidence: Evidence;
}

/**
 * The model: logit = BIAS + sum of weighted terms, score = sigmoid(logit). The weights are set by
 * reasoning about what a curriculum does that customers do not (README "Scoring"), not fitted to
 * attack labels; the tiers come from the calibration's organic quantiles. Small accounts are
 * shrunk toward "no evidence" by `reliability`, so a handful of prompts cannot score high.
 */
const BIAS = -5;
const W_TASKS = 4;
const W_BREADTH = 3;
const W_ELICIT = 6;
/** Negative: users who talk about themselves or to the assistant are using it, not harvesting it. */
const W_CONVERSATIONAL = -2;
/** One "step by step" is a user; a habit of them is a harvesting recipe. */
const ELICIT_HALF_N = 3;
/** Shares need about this many prompts before they count half. */
const SHARE_HALF_N = 10;
/** Breadth needs about this many high-value task prompts before it counts half... */
const BREADTH_HALF_N = 15;
/** ...and them to be about this share of the traffic: a broad sliver of a big account is not a sweep. */
const BREADTH_HALF_SHARE = 0.1;
/** One skeleton on this share of prompts starts to mark a single-template batch job... */
const TEMPLATE_FROM = 0.3;
/** ...and on this share its task phrasing no longer counts at all. */
const TEMPLATE_TO = 0.7;

const reliability = (count: number, half: number) => count / (count + half);
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function scoreProfile(profile: Profile, calibration: Calibration): AccountScore {
  const f = computeFeatures(profile);
  const tasks = f.highValueTaskShare * f.prompts;
  const templateDominance = clamp01((f.templateShare - TEMPLATE_FROM) / (TEMPLATE_TO - TEMPLATE_FROM));
  const shareWeight = reliability(f.prompts, SHARE_HALF_N);
  const terms: Record<keyof FeatureValues, [number, string]> = {
    highValueTaskShare: [
      W_TASKS * f.highValueTaskShare * shareWeight * (1 - templateDominance),
      'self-contained tasks in software, agentic, maths or reasoning areas (discounted when one template writes them)',
    ],
    taskBreadth: [
      ((W_BREADTH * Math.max(0, f.taskBreadth - 1)) / 3) *
        reliability(tasks, BREADTH_HALF_N) *
        reliability(f.highValueTaskShare, BREADTH_HALF_SHARE) *
        (1 - templateDominance),
      'how many high-value areas those tasks sweep (1 to 4); counts as far as tasks are a real part of the traffic',
    ],
    elicitShare: [
      W_ELICIT * f.elicitShare * shareWeight * reliability(f.elicitShare * f.prompts, ELICIT_HALF_N),
      'requests to show reasoning, step by step, rubric grading',
    ],
    conversationalShare: [
      W_CONVERSATIONAL * f.conversationalShare * shareWeight,
      'conversational phrasing: the user speaks about themselves or to the assistant',
    ],
    templateShare: [0, 'share of prompts on the most common template skeleton; batch jobs are near 1, so it only discounts task phrasing'],
    prompts: [0, 'volume; organic customers are often far bigger'],
    subAreaCoverage: [0, 'effective number of sub-areas covered'],
    subAreaEvenness: [0, 'evenness of sub-area coverage'],
    distinctSubAreas: [0, 'distinct sub-areas seen'],
    highValueShare: [0, 'share of prompts in high-value areas, any phrasing'],
    highValueBreadth: [0, 'effective number of high-value areas, any phrasing'],
    taskShare: [0, 'share of self-contained task phrasing, any area'],
    taskBreadthShare: [0, 'high-value task share outside the main area'],
    peak24h: [0, 'most prompts in any 24 hours'],
    activeDays: [0, 'days between first and last prompt'],
    roundTheClock: [0, 'hour-of-day entropy; 1 is 24/7, like every automated customer'],
    gapSpread: [0, 'spread of log inter-arrival gaps; low is metronome-like, like every automated customer'],
  };
  let logit = BIAS;
  const features: FeatureEvidence[] = [];
  for (const [name, [contribution, why]] of Object.entries(terms) as [keyof FeatureValues, [number, string]][]) {
    logit += contribution;
    features.push({ name, value: round(f[name]), contribution: round(contribution), why });
  }
  features.sort((a, b) => b.contribution - a.contribution);
  const score = profile.n === 0 ? 0 : sigmoid(logit);
  const total = Math.max(1, profile.n);
  return {
    score,
    tier: tierFor(score, calibration, profile.n),
    evidence: {
      prompts: profile.n,
      topSubAreas: Object.entries(profile.subAreas)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, 5)
        .map(([subArea, c]) => ({ subArea, share: round(c / total) })),
      features,
      examplePromptIds: profile.examples.map((e) => e.promptId),
      calibration: calibration.id,
    },
  };
}

export function tierFor(score: number, c: Calibration, prompts: number): Tier {
  const enough = prompts >= c.minPrompts;
  if (enough && score >= c.thresholds.block) return 'block';
  if (enough && score >= c.thresholds.review) return 'review';
  if (score >= c.thresholds.watch) return 'watch';
  return 'none';
}

export const isFlagged = (tier: Tier) => tier === 'review' || tier === 'block';

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
