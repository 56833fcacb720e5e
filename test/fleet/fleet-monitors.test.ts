import { describe, expect, it } from 'vitest';
import { campaignRates } from '../../src/model/fleet/campaign-rates.js';
import { promptFleetCounts, rateAlerts, type HourRate } from '../../src/model/fleet/fleet-counts.js';
import { HOUR_MS } from '../../src/model/time.js';
import { releasePivot } from '../../src/model/fleet/release-pivot.js';
import { emptyProfile, mergeProfiles, upgradeProfile } from '../../src/model/scoring/profile.js';
import { count, prompt, T0 } from '../fixtures/scoring.js';

const OPT = { youngDays: 7, pivotHours: 24 };
const release = { name: 'model-next', at: T0 + 30 * 24 * HOUR_MS };

describe('fleet counts of one prompt', () => {
  it('counts a prompt toward the young population while its account is younger than youngDays', () => {
    const p = { promptId: 'p1', ts: T0 + 2 * HOUR_MS, metadata: { outputTokens: 700 } };
    expect(promptFleetCounts(p, T0, [], OPT)).toEqual({ promptId: 'p1', youngHour: Math.floor(p.ts / HOUR_MS), outputTokens: 700, releases: [] });
    expect(promptFleetCounts(p, T0 - 8 * 24 * HOUR_MS, [], OPT).youngHour).toBeNull();
    expect(promptFleetCounts(p, null, [], OPT).youngHour).toBeNull();
  });

  it('marks prompts in the hours after a release, and whether they asked for it', () => {
    const at = (h: number, model: string) => ({ promptId: 'p', ts: release.at + h * HOUR_MS, metadata: { model } });
    expect(promptFleetCounts(at(3, 'Model-Next'), null, [release], OPT).releases).toEqual([{ name: 'model-next', adopted: true }]);
    expect(promptFleetCounts(at(3, 'model-a'), null, [release], OPT).releases).toEqual([{ name: 'model-next', adopted: false }]);
    expect(promptFleetCounts(at(-1, 'model-a'), null, [release], OPT).releases).toEqual([]);
    expect(promptFleetCounts(at(25, 'model-next'), null, [release], OPT).releases).toEqual([]);
  });
});

describe('young-population rate alerts', () => {
  const OPTS = { baselineHours: 168, minBaselineHours: 24, alertFactor: 3, alertMinPrompts: 50 };
  const series = (rates: [number, number][]) => new Map<number, HourRate>(rates.map(([hour, prompts]) => [hour, { hour, prompts, outputTokens: prompts * 300 }]));

  it('alerts on an hour far above the mean of the hours before it, counting silent hours as zero', () => {
    const s = series([...Array.from({ length: 100 }, (_, h) => [h, 10] as [number, number]), [100, 60], [101, 25]]);
    expect(rateAlerts(s, [99, 100, 101], 0, OPTS)).toEqual([{ hour: 100, metric: 'prompts', value: 60, baseline: 10, baselineHours: 100 }]);
  });

  it('says nothing without enough history or below the minimum volume', () => {
    expect(rateAlerts(series([[0, 1], [10, 500]]), [10], 0, OPTS)).toEqual([]);
    expect(rateAlerts(series([[0, 1], [40, 49]]), [40], 0, OPTS)).toEqual([]);
    expect(rateAlerts(series([[0, 1], [40, 50]]), [40], 0, OPTS)).toHaveLength(1);
  });

  it('alerts on output tokens when prompts keep their pace but answers grow', () => {
    const s = new Map<number, HourRate>(Array.from({ length: 50 }, (_, h) => [h, { hour: h, prompts: 60, outputTokens: h === 49 ? 60_000 : 6_000 }]));
    expect(rateAlerts(s, [49], 0, OPTS)).toEqual([expect.objectContaining({ hour: 49, metric: 'outputTokens', value: 60_000 })]);
  });
});

describe('release pivots', () => {
  const opt = { pivotMinExposed: 3, pivotMinNats: 6 };

  it('flags a campaign that moved to the release far faster than organic accounts, against the rest of the population', () => {
    const pivot = releasePivot(release, { exposed: 15, adopted: 15 }, { exposed: 215, adopted: 35 }, opt);
    expect(pivot).toMatchObject({ release: 'model-next', campaign: { share: 1 }, organic: { exposed: 200, adopted: 20, share: 0.1 }, pivoted: true });
    expect(pivot.nats).toBeGreaterThan(30);
  });

  it('does not flag adoption at the organic rate, or too few exposed members to say', () => {
    expect(releasePivot(release, { exposed: 20, adopted: 2 }, { exposed: 220, adopted: 22 }, opt).pivoted).toBe(false);
    expect(releasePivot(release, { exposed: 2, adopted: 2 }, { exposed: 202, adopted: 2 }, opt).pivoted).toBe(false);
    expect(releasePivot(release, { exposed: 0, adopted: 0 }, { exposed: 0, adopted: 0 }, opt)).toMatchObject({ nats: 0, pivoted: false });
  });
});

describe('profile metadata', () => {
  const withMeta = (i: number, model: string, tokens: number) => ({ ...prompt(`q ${i}`, 'swe.python', T0 + i * HOUR_MS), metadata: { model, outputTokens: tokens, userAgent: 'curl/8.5.0', signupTs: new Date(T0).toISOString() } });

  it('keeps identity, first use per model and output tokens per bucket, and merges them', () => {
    const a = [withMeta(0, 'model-a', 100), withMeta(1, 'model-next', 200), withMeta(2, 'model-next', 300)].reduce(count, emptyProfile());
    expect(a.identity).toEqual({ client: 'curl/8.5.0', emailDomain: null, signupTs: T0 });
    expect(a.models).toEqual({ 'model-a': { n: 1, firstTs: T0 }, 'model-next': { n: 2, firstTs: T0 + HOUR_MS } });
    expect(a.outputTokens).toBe(600);
    const b = [withMeta(30, 'model-next', 50)].reduce(count, emptyProfile());
    const both = mergeProfiles(a, b);
    expect(both.models['model-next']).toEqual({ n: 3, firstTs: T0 + HOUR_MS });
    expect(both.outputTokens).toBe(650);
    expect(campaignRates(both)).toEqual({ lastDay: { promptsPerHour: 0.04, outputTokensPerHour: 2.08 }, peak: { promptsPerHour: 0.5, outputTokensPerHour: 100 }, outputTokens: 650 });
  });

  it('reads a version 2 profile with its evidence, and starts a version 1 profile afresh', () => {
    const v3 = [withMeta(0, 'model-a', 100)].reduce(count, emptyProfile());
    const v2: Record<string, unknown> = { ...structuredClone(v3), version: 2 };
    for (const field of ['identity', 'models', 'outputTokens', 'tokenBuckets']) delete v2[field];
    expect(upgradeProfile(v2)).toEqual({ ...v3, identity: { client: null, emailDomain: null, signupTs: null }, models: {}, outputTokens: 0, tokenBuckets: {} });
    expect(upgradeProfile({ version: 1, n: 40 })).toEqual(emptyProfile());
  });
});
