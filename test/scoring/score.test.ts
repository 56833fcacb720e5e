import { describe, expect, it } from 'vitest';
import { allowedExceedances, calibrate, UNCALIBRATED, type Calibration } from '../../src/scoring/calibration.js';
import { addPrompt, emptyProfile, type ClassifiedPrompt } from '../../src/scoring/profile.js';
import { isFlagged, scoreProfile, tierFor } from '../../src/scoring/score.js';
import { HOUR, prompt, T0 } from './fixtures.js';

const build = (ps: ClassifiedPrompt[]) => ps.reduce(addPrompt, emptyProfile());

const curriculum = Array.from({ length: 60 }, (_, i) => {
  const kinds: [string, string][] = [
    [`Write a function that returns the ${i}th prime number.`, 'swe.algorithms'],
    [`A shop sells ${i} apples at $2 each and ${i + 3} pears at $3 each. How much money does it take in? Show your reasoning step by step.`, 'math.word_problems'],
    [`Get the current weather for city number ${i} and convert it to fahrenheit.`, 'agentic.function_calling'],
    [`Prove that ${i} squared plus ${i} is even.`, 'math.proofs'],
  ];
  const [text, sub] = kinds[i % kinds.length]!;
  return prompt(text, sub, T0 + i * 600_000);
});
const chatty = Array.from({ length: 60 }, (_, i) =>
  prompt(i % 2 ? `I'm so tired today, my boss ${i} keeps yelling` : `who sang song number ${i}`, i % 2 ? 'advice_chat.personal' : 'knowledge.culture_entertainment', T0 + i * 7 * HOUR),
);
const batchJob = Array.from({ length: 60 }, (_, i) =>
  prompt(`Classify this search query into one topic and reply with the label only.\nQuery: topic ${i} question`, 'swe.python', T0 + i * HOUR),
);

const calibration: Calibration = { ...UNCALIBRATED, id: 'test', thresholds: { watch: 0.1, review: 0.3, block: 0.6 } };

describe('scoreProfile', () => {
  it('scores a curriculum far above conversational use, with evidence', () => {
    const c = scoreProfile(build(curriculum), calibration);
    const o = scoreProfile(build(chatty), calibration);
    expect(c.score).toBeGreaterThan(0.3);
    expect(o.score).toBeLessThan(0.01);
    expect(c.evidence.prompts).toBe(60);
    expect(c.evidence.topSubAreas[0]!.share).toBeCloseTo(0.25);
    expect(c.evidence.examplePromptIds.length).toBeGreaterThan(0);
    const byName = new Map(c.evidence.features.map((f) => [f.name, f]));
    expect(byName.get('elicitShare')!.contribution).toBeGreaterThan(0);
    expect(byName.get('taskBreadth')!.value).toBeCloseTo(3, 0);
    const logit = -5 + c.evidence.features.reduce((a, f) => a + f.contribution, 0);
    expect(c.score).toBeCloseTo(1 / (1 + Math.exp(-logit)), 3);
  });

  it('discounts task phrasing that one template writes', () => {
    const s = scoreProfile(build(batchJob), calibration);
    const tasks = s.evidence.features.find((f) => f.name === 'highValueTaskShare')!;
    expect(tasks.value).toBeCloseTo(1);
    expect(tasks.contribution).toBe(0);
    expect(s.tier).toBe('none');
  });

  it('needs volume: a few curriculum prompts score lower than many', () => {
    expect(scoreProfile(build(curriculum.slice(0, 4)), calibration).score).toBeLessThan(scoreProfile(build(curriculum), calibration).score);
    expect(scoreProfile(emptyProfile(), calibration)).toMatchObject({ score: 0, tier: 'none' });
  });

  it('maps scores to tiers by the calibration', () => {
    expect(tierFor(0.05, calibration, 50)).toBe('none');
    expect(tierFor(0.1, calibration, 50)).toBe('watch');
    expect(tierFor(0.3, calibration, 50)).toBe('review');
    expect(tierFor(0.9, calibration, 50)).toBe('block');
    expect(tierFor(0.9, { ...calibration, minPrompts: 10 }, 9)).toBe('watch');
    expect(isFlagged('review') && isFlagged('block') && !isFlagged('watch')).toBe(true);
    expect(scoreProfile(build(curriculum), UNCALIBRATED).tier).toBe('none');
  });
});

describe('calibrate', () => {
  it('allows as many organic exceedances as a 90% upper bound within the target permits', () => {
    expect(allowedExceedances(765, 0.005, 0.9)).toBe(0);
    expect(allowedExceedances(10_000, 0.005, 0.9)).toBeGreaterThan(35);
    expect(allowedExceedances(10_000, 0.005, 0.9)).toBeLessThan(50);
  });

  it('flags at most the target share of the reference, block above review', () => {
    const scores = Array.from({ length: 10_000 }, (_, i) => i / 10_000);
    const c = calibrate(scores, { id: 'x', source: 'test' });
    const share = (t: number) => scores.filter((s) => s >= t).length / scores.length;
    expect(share(c.thresholds.review)).toBeLessThanOrEqual(0.005);
    expect(share(c.thresholds.review)).toBeGreaterThan(0.003);
    expect(share(c.thresholds.watch)).toBeLessThanOrEqual(0.02);
    expect(c.thresholds.block).toBeGreaterThan(c.thresholds.review);
    expect(c.thresholds.watch).toBeLessThanOrEqual(c.thresholds.review);
  });
});
