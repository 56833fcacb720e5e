import { describe, expect, it } from 'vitest';
import { normalQuantile, shapiroWilkW } from '../../src/cli/eval/shapiro-wilk.js';

describe('Shapiro-Wilk W (PRADA baseline)', () => {
  it('matches R shapiro.test on known samples', () => {
    expect(shapiroWilkW([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBeCloseTo(0.97016, 4);
    expect(shapiroWilkW([148, 154, 158, 160, 161, 162, 166, 170, 182, 195, 236])).toBeCloseTo(0.78881, 4);
  });
  it('normal quantiles', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
  });
});
