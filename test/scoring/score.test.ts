import { describe, expect, it } from 'vitest';
import { allowedExceedances, calibrate, organicExceedance, UNCALIBRATED } from '../../src/model/scoring/calibration.js';
import { countWith } from '../../src/model/scoring/detector.js';
import { emptyProfile, type ClassifiedPrompt, type Profile } from '../../src/model/scoring/profile.js';
import { isFlagged, scoreProfile, tierFor } from '../../src/model/scoring/score.js';
import { fixtureDetector, PARAMS } from '../fixtures/detector.js';
import { HOUR, prompt, T0 } from '../fixtures/scoring.js';

const detector = fixtureDetector();
const build = (ps: ClassifiedPrompt[]): Profile => {
  const p = emptyProfile();
  for (const x of ps) countWith(detector, p, x);
  return p;
};

const curriculum = Array.from({ length: 60 }, (_, i) => {
  const kinds: [string, string][] = [
    [`Write a function that returns the ${i}th prime number.`, 'swe.algorithms'],
    [`A shop sells ${i} apples at $2 each and ${i + 3} pears at $3 each. How much money does it take in?`, 'math.word_problems'],
    [`Implement a queue class with enqueue and dequeue methods for item ${i}.`, 'swe.python'],
    [`Solve for x: ${i}x + 7 = 22.`, 'math.algebra'],
  ];
  const [text, sub] = kinds[i % kinds.length]!;
  return prompt(text, sub, T0 + i * 600_000);
});
const chatty = Array.from({ length: 60 }, (_, i) =>
  prompt(i % 2 ? `I'm so tired today, my boss ${i} keeps yelling at me` : `who sang song number ${i}`, i % 2 ? 'advice_chat.personal' : 'knowledge.culture_entertainment', T0 + i * 7 * HOUR),
);
const batchJob = Array.from({ length: 60 }, (_, i) => prompt(`Write a function that returns the ${i}th prime number.\nAnswer:`, 'swe.algorithms', T0 + i * HOUR));

describe('scoreProfile', () => {
  it('finds far more evidence in a curriculum than in conversational use, and says why', () => {
    const c = scoreProfile(build(curriculum), detector);
    const o = scoreProfile(build(chatty), detector);
    expect(c.evidence.nats).toBeGreaterThan(50);
    expect(o.evidence.nats).toBe(0);
    expect(c.evidence.curriculumShare).toBeGreaterThan(0.8);
    expect(c.evidence.topPrompts).toHaveLength(8);
    expect(c.evidence.topPrompts[0]!.reasons.length).toBeGreaterThan(0);
    expect(c.evidence.summary).toMatch(/60 of 60 prompts read more like instruction or benchmark data/);
    expect(c.evidence.topSubAreas[0]!.share).toBeCloseTo(0.25);
  });

  it('takes the evidence of a single-template job away: a benchmark run is permitted use', () => {
    const s = scoreProfile(build(batchJob), detector);
    expect(s.evidence.templateShare).toBe(1);
    expect(s.evidence.templatedJobDiscount).toBe(1);
    expect(s.evidence.nats).toBe(0);
    expect(s.evidence.summary).toMatch(/benchmark run or batch job/);
    // The same template spread over a fleet is no customer's harness.
    expect(scoreProfile(build(batchJob), detector, PARAMS.templatedJob.maxAccounts + 1).evidence.nats).toBeGreaterThan(50);
  });

  it('finds 10% of curriculum hidden in an organic account', () => {
    const organic = Array.from({ length: 12 }, () => chatty).flat();
    const mixed = [...organic, ...curriculum.slice(0, 60), ...curriculum.slice(0, 20)];
    expect(scoreProfile(build(mixed), detector).evidence.nats).toBeGreaterThan(10);
    expect(scoreProfile(build(organic), detector).evidence.nats).toBe(0);
  });

  it('reads scores against the organic reference and maps them to tiers', () => {
    const reference = Array.from({ length: 1000 }, (_, i) => (i < 900 ? 0 : (i - 899) / 10));
    const calibration = calibrate(reference, { id: 'test', source: 'test', targets: PARAMS.calibration });
    const c = scoreProfile(build(curriculum), { ...detector, calibration });
    expect(c.score).toBeGreaterThan(0.999);
    expect(c.tier).toBe('block');
    expect(c.evidence.summary).toMatch(/fewer than 1 in 1,000 organic reference accounts/);
    expect(scoreProfile(build(chatty), { ...detector, calibration })).toMatchObject({ score: 0, tier: 'none' });
    expect(scoreProfile(emptyProfile(), { ...detector, calibration })).toMatchObject({ score: 0, tier: 'none' });
    expect(scoreProfile(build(curriculum.slice(0, PARAMS.minPrompts - 1)), { ...detector, calibration }).tier).not.toMatch(/review|block/);
    expect(scoreProfile(build(curriculum), detector).tier).toBe('none');
  });

  it('maps scores to tiers by the calibration', () => {
    const c = { ...UNCALIBRATED, thresholds: { watch: 0.9, review: 0.99, block: 0.999 } };
    expect(tierFor(0.5, c, 50, 5)).toBe('none');
    expect(tierFor(0.9, c, 50, 5)).toBe('watch');
    expect(tierFor(0.99, c, 50, 5)).toBe('review');
    expect(tierFor(0.9995, c, 50, 5)).toBe('block');
    expect(tierFor(0.9995, c, 4, 5)).toBe('watch');
    expect(isFlagged('review') && isFlagged('block') && !isFlagged('watch')).toBe(true);
  });
});

describe('calibrate', () => {
  it('allows as many organic exceedances as a 90% upper bound within the target permits', () => {
    expect(allowedExceedances(765, 0.005, 0.9)).toBe(0);
    expect(allowedExceedances(10_000, 0.005, 0.9)).toBeGreaterThan(35);
    expect(allowedExceedances(10_000, 0.005, 0.9)).toBeLessThan(50);
  });

  it('flags at most the target share of the reference, block above review', () => {
    const nats = Array.from({ length: 10_000 }, (_, i) => i / 100);
    const c = calibrate(nats, { id: 'x', source: 'test', targets: PARAMS.calibration });
    const share = (t: number) => nats.filter((s) => s >= t).length / nats.length;
    expect(share(c.nats.review)).toBeLessThanOrEqual(0.005);
    expect(share(c.nats.review)).toBeGreaterThan(0.003);
    expect(share(c.nats.watch)).toBeLessThanOrEqual(0.02);
    expect(c.nats.block).toBeGreaterThanOrEqual(c.nats.review + PARAMS.calibration.blockMarginNats);
    expect(c.thresholds.review).toBeCloseTo(1 - organicExceedance(c.nats.review, c), 12);
  });

  it('reads evidence as an organic exceedance rate, decreasing, with a tail past the reference', () => {
    const c = calibrate([0, 0, 0, 0, 0, 0, 1, 2, 4, 8], { id: 'x', source: 'test', targets: PARAMS.calibration });
    expect(organicExceedance(0, c)).toBe(1);
    expect(organicExceedance(2, c)).toBeCloseTo(3 / 11);
    expect(organicExceedance(8, c)).toBeCloseTo(1 / 11);
    const xs = [0.5, 1, 3, 8, 9, 20, 40].map((x) => organicExceedance(x, c));
    for (let i = 1; i < xs.length; i++) expect(xs[i]!).toBeLessThan(xs[i - 1]!);
  });
});

describe('the templated-job rule', () => {
  it('needs a harness-sized run: a handful of prompts is not a batch job', () => {
    const few = scoreProfile(build(batchJob.slice(0, 3)), detector);
    expect(few.evidence.templatedJobDiscount).toBe(0);
    expect(few.evidence.nats).toBeGreaterThan(0);
    expect(few.evidence.summary).not.toMatch(/batch job/);
  });
});
