/**
 * What one prompt adds to the population monitors: the hourly rates of young accounts (a fleet is
 * made shortly before it works, so its volume lands on accounts days old, where organic volume is
 * small and steady) and, for each configured model release, whether the account was active in the
 * hours after it and whether it moved to the new model then. Pure: the fold computes it, the store
 * adds it once per prompt.
 */
import { HOUR_MS } from '../time.js';
import type { ClassifiedPrompt } from '../scoring/profile.js';

export interface Release {
  name: string;
  /** Epoch milliseconds. */
  at: number;
}

export interface PromptFleetCounts {
  promptId: string;
  /** Hour since the epoch when the account was young at the prompt's time; null otherwise. */
  youngHour: number | null;
  outputTokens: number;
  /** Releases whose pivot window holds the prompt, and whether it asked for the new model. */
  releases: { name: string; adopted: boolean }[];
}


export function promptFleetCounts(
  p: Pick<ClassifiedPrompt, 'promptId' | 'ts' | 'metadata'>,
  signupTs: number | null,
  releases: readonly Release[],
  opt: { youngDays: number; pivotHours: number },
): PromptFleetCounts {
  const young = signupTs !== null && p.ts - signupTs < opt.youngDays * 24 * HOUR_MS;
  const model = typeof p.metadata?.model === 'string' ? p.metadata.model.toLowerCase() : null;
  return {
    promptId: p.promptId,
    youngHour: young ? Math.floor(p.ts / HOUR_MS) : null,
    outputTokens: typeof p.metadata?.outputTokens === 'number' ? p.metadata.outputTokens : 0,
    releases: releases.filter((r) => p.ts >= r.at && p.ts < r.at + opt.pivotHours * HOUR_MS).map((r) => ({ name: r.name, adopted: model === r.name.toLowerCase() })),
  };
}

/** One hour of the young population: prompts and output tokens. */
export interface HourRate {
  hour: number;
  prompts: number;
  outputTokens: number;
}

export interface RateAlert {
  hour: number;
  /** The rate that departed, and its baseline: the mean of the hours before. */
  metric: 'prompts' | 'outputTokens';
  value: number;
  baseline: number;
  baselineHours: number;
}

/**
 * Hours (among `candidates`, oldest first) whose young-population rate is at least `alertFactor`
 * times the mean of the `baselineHours` before (hours with no traffic count as zero), given at
 * least `minBaselineHours` of history since `firstHour` (the first hour ever seen) and
 * `alertMinPrompts` prompts.
 */
export function rateAlerts(
  series: ReadonlyMap<number, HourRate>,
  candidates: readonly number[],
  firstHour: number,
  opt: { baselineHours: number; minBaselineHours: number; alertFactor: number; alertMinPrompts: number },
): RateAlert[] {
  const out: RateAlert[] = [];
  for (const hour of candidates) {
    const cur = series.get(hour);
    if (!cur || cur.prompts < opt.alertMinPrompts) continue;
    const from = Math.max(firstHour, hour - opt.baselineHours);
    const span = hour - from;
    if (span < opt.minBaselineHours) continue;
    let prompts = 0;
    let tokens = 0;
    for (let h = from; h < hour; h++) {
      prompts += series.get(h)?.prompts ?? 0;
      tokens += series.get(h)?.outputTokens ?? 0;
    }
    for (const [metric, value, mean] of [
      ['prompts', cur.prompts, prompts / span],
      ['outputTokens', cur.outputTokens, tokens / span],
    ] as const) {
      if (value > 0 && value >= opt.alertFactor * mean) {
        out.push({ hour, metric, value, baseline: Math.round(mean * 100) / 100, baselineHours: span });
        break;
      }
    }
  }
  return out;
}
