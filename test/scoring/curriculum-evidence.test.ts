import { describe, expect, it } from 'vitest';
import { addToMixture, emptyMixture, fitMixture, mergeMixtures, MIX_GRID } from '../../src/model/scoring/curriculum-evidence.js';

const mixtureOf = (llrs: number[]) => {
  const m = emptyMixture();
  for (const l of llrs) addToMixture(m, l);
  return m;
};
const repeat = (x: number, n: number) => Array.from({ length: n }, () => x);

describe('mixture evidence', () => {
  it('is zero for an account whose prompts all look organic, and finds the curriculum share', () => {
    expect(fitMixture(mixtureOf(repeat(-3, 500)), 0)).toEqual({ nats: 0, share: 0 });
    const all = fitMixture(mixtureOf(repeat(4, 30)), 0);
    expect(all.share).toBe(1);
    expect(all.nats).toBeCloseTo(120);
  });

  it('adds up a 10% share hidden among organic prompts', () => {
    const hidden = fitMixture(mixtureOf([...repeat(4, 80), ...repeat(-4, 720)]), 0);
    expect(hidden.share).toBe(0.1);
    expect(hidden.nats).toBeGreaterThan(60);
  });

  it('with a tolerance, measures only the share above it', () => {
    const m = mixtureOf([...repeat(4, 80), ...repeat(-4, 720)]);
    expect(fitMixture(m, 0.05).nats).toBeLessThan(fitMixture(m, 0).nats);
    expect(fitMixture(mixtureOf([...repeat(4, 10), ...repeat(-4, 990)]), 0.05).nats).toBe(0);
  });

  it('merges exactly: a campaign pools its members by adding their sums', () => {
    const a = [4, 4, -1, 2];
    const b = [-4, 3, 3];
    expect(mergeMixtures(mixtureOf(a), mixtureOf(b))).toEqual(mixtureOf([...a, ...b]).map((x) => expect.closeTo(x, 9) as unknown as number));
    expect(mixtureOf(a)).toHaveLength(MIX_GRID.length);
  });
});
