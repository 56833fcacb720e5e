import { describe, expect, it } from 'vitest';
import { computeFeatures, entropy } from '../../src/model/scoring/features.js';
import { emptyProfile, type ClassifiedPrompt } from '../../src/model/scoring/profile.js';
import { HOUR, prompt, T0, count } from '../fixtures/scoring.js';

const features = (ps: ClassifiedPrompt[]) => computeFeatures(ps.reduce(count, emptyProfile()));

describe('features', () => {
  it('entropy of a histogram', () => {
    expect(entropy([5])).toBe(0);
    expect(entropy([1, 1])).toBeCloseTo(Math.log(2));
    expect(entropy([])).toBe(0);
  });

  it('coverage and evenness over sub-areas', () => {
    const even = features(['a.x', 'b.y', 'c.z', 'd.w'].map((s, i) => prompt('q', s, T0 + i)));
    expect(even.subAreaCoverage).toBeCloseTo(4);
    expect(even.subAreaEvenness).toBeCloseTo(1);
    expect(even.distinctSubAreas).toBe(4);
    const skewed = features(['a.x', 'a.x', 'a.x', 'b.y'].map((s, i) => prompt('q', s, T0 + i)));
    expect(skewed.subAreaCoverage).toBeLessThan(2);
    expect(skewed.subAreaEvenness).toBeLessThan(1);
  });

  it('high-value share and breadth', () => {
    const f = features([
      prompt('Write a function that reverses a list.', 'swe.python', T0),
      prompt('Solve for x: 2x + 3 = 9.', 'math.algebra_calculus', T0 + 1),
      prompt('Get the weather in Oslo tomorrow.', 'agentic.function_calling', T0 + 2),
      prompt('I feel tired all the time, what should I do?', 'advice_chat.health_lifestyle', T0 + 3),
    ]);
    expect(f.highValueShare).toBeCloseTo(0.75);
    expect(f.highValueBreadth).toBeCloseTo(3);
  });

  it('template share: one skeleton filled many ways', () => {
    const tpl = (x: string) => `Classify this search query into a topic and reply with the label only. Query: ${x}`;
    const f = features(['who won the cup', 'best pizza dough', 'moon landing year', 'rust borrow checker'].map((x, i) => prompt(tpl(x), 'other.other', T0 + i)));
    expect(f.templateShare).toBeCloseTo(1);
    const g = features(['Write a sorting function in C for integers please now', 'Explain why the sky looks blue during the day time'].map((x, i) => prompt(x, 'other.other', T0 + i)));
    expect(g.templateShare).toBeCloseTo(0.5);
  });

  it('timing: 24-hour peak, active span, round-the-clock and regular gaps', () => {
    const metronome = features(Array.from({ length: 48 }, (_, i) => prompt('q', 'swe.python', T0 + i * HOUR)));
    expect(metronome.peak24h).toBeGreaterThanOrEqual(24);
    expect(metronome.activeDays).toBeCloseTo(47 / 24);
    expect(metronome.roundTheClock).toBeCloseTo(1);
    expect(metronome.gapSpread).toBeCloseTo(0);
    const sessions = [0, 1, 3, 7].flatMap((day) => [0, 1, 2].map((k) => T0 + day * 24 * HOUR + 9 * HOUR + k * 60_000));
    const office = features(sessions.map((ts) => prompt('q', 'swe.python', ts)));
    expect(office.roundTheClock).toBeLessThan(0.3);
    expect(office.gapSpread).toBeGreaterThan(0.3);
    expect(office.peak24h).toBeLessThanOrEqual(3);
  });
});
