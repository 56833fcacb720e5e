import { organicExceedance, type Calibration } from './calibration.js';
import { fitMixture } from './curriculum-evidence.js';
import type { Detector } from './detector.js';
import { computeFeatures, type FeatureValues } from './features.js';
import type { CurriculumPrompt, Profile } from './profile.js';

export type Tier = 'none' | 'watch' | 'review' | 'block';
export const TIERS: readonly Tier[] = ['none', 'watch', 'review', 'block'];

export interface Evidence {
  prompts: number;
  /** The account's case in one sentence an analyst can read. */
  summary: string;
  /** Evidence in nats (natural-log likelihood ratio) that more than the tolerated share is curriculum. */
  nats: number;
  /** Share of organic reference accounts with at least this much evidence. */
  organicExceedance: number;
  /** Most likely share of the account's prompts that is curriculum. */
  curriculumShare: number;
  /** Prompts more likely curriculum than organic. */
  curriculumLike: number;
  /** Share of prompts on the most common template; near 1 for benchmark runs and batch jobs. */
  templateShare: number;
  /** How much of the evidence the templated-job rule took away (0 to 1). */
  templatedJobDiscount: number;
  topSubAreas: { subArea: string; share: number }[];
  /** How the account behaves (timing, coverage): shown to analysts, not in the score. */
  behaviour: Omit<FeatureValues, 'prompts'>;
  /** The most curriculum-like prompts, with why. */
  topPrompts: (CurriculumPrompt & { likelihoodRatio: number })[];
  examplePromptIds: string[];
  calibration: string;
  model: string;
  params: string;
}

export interface AccountScore {
  score: number;
  tier: Tier;
  evidence: Evidence;
}

/**
 * Scores a profile: the mixture evidence (curriculum-evidence.ts), less what a single-template job
 * explains, read against the organic calibration. `accounts` is how many accounts the profile
 * pools (a campaign): a template spread over a fleet is not one customer's harness.
 */
export function scoreProfile(profile: Profile, d: Detector, accounts = 1): AccountScore {
  const { params, calibration } = d;
  const fit = fitMixture(profile.mix, params.organicTolerance);
  const { prompts: _, ...behaviour } = computeFeatures(profile);
  const { templateShare } = behaviour;
  const job = params.templatedJob;
  const discount = accounts <= job.maxAccounts && profile.n >= job.minPrompts ? clamp01((templateShare - job.from) / (job.to - job.from)) : 0;
  const nats = profile.n === 0 ? 0 : fit.nats * (1 - discount);
  const exceedance = organicExceedance(nats, calibration);
  const score = 1 - exceedance;
  const total = Math.max(1, profile.n);
  const evidence: Evidence = {
    prompts: profile.n,
    summary: '',
    nats: round(nats),
    organicExceedance: exceedance,
    curriculumShare: fit.share,
    curriculumLike: profile.curriculumLike,
    templateShare: round(templateShare),
    templatedJobDiscount: round(discount),
    topSubAreas: Object.entries(profile.subAreas)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 5)
      .map(([subArea, c]) => ({ subArea, share: round(c / total) })),
    behaviour: Object.fromEntries(Object.entries(behaviour).map(([k, v]) => [k, round(v)])) as Evidence['behaviour'],
    topPrompts: profile.top.map((p) => ({ ...p, likelihoodRatio: Math.round(Math.exp(p.llr) * 10) / 10 })),
    examplePromptIds: profile.examples.map((e) => e.promptId),
    calibration: calibration.id,
    model: d.model.version,
    params: params.version,
  };
  evidence.summary = summarise(evidence, params.organicTolerance, calibration);
  return { score, tier: tierFor(score, calibration, profile.n, params.minPrompts), evidence };
}

export function tierFor(score: number, c: Calibration, prompts: number, minPrompts: number): Tier {
  const enough = prompts >= minPrompts;
  if (enough && score >= c.thresholds.block) return 'block';
  if (enough && score >= c.thresholds.review) return 'review';
  if (score >= c.thresholds.watch) return 'watch';
  return 'none';
}

export const isFlagged = (tier: Tier) => tier === 'review' || tier === 'block';

function summarise(e: Evidence, tolerance: number, c: Calibration): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const share = tolerance > 0 ? `more than ${pct(tolerance)} of the traffic` : 'any of the traffic';
  const parts = [
    `${e.curriculumLike} of ${e.prompts} prompts read more like instruction or benchmark data than like people's own requests; the most likely curriculum share is ${pct(e.curriculumShare)}.`,
  ];
  if (e.nats > 0) {
    const rarity = c.organicAccounts === 0 ? 'no organic calibration to compare with' : e.organicExceedance * c.organicAccounts < 1 ? `fewer than 1 in ${c.organicAccounts.toLocaleString('en-US')} organic reference accounts has as much` : `about 1 in ${Math.max(1, Math.round(1 / e.organicExceedance)).toLocaleString('en-US')} organic accounts has as much`;
    parts.push(`Evidence that ${share} is curriculum: ${e.nats.toFixed(1)} nats (likelihood ratio e^${e.nats.toFixed(1)}); ${rarity}.`);
  } else parts.push(`No evidence that ${share} is curriculum.`);
  if (e.templatedJobDiscount > 0) parts.push(`One template writes ${pct(e.templateShare)} of the prompts, the mark of a benchmark run or batch job: evidence reduced by ${pct(e.templatedJobDiscount)}.`);
  return parts.join(' ');
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
