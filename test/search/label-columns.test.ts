import { describe, expect, it } from 'vitest';
import { Column, LabelGroups } from '../../src/model/search/label-columns.js';

describe('label columns', () => {
  it('grows to any label and answers the empty value where nothing was set', () => {
    const ts = new Column(new Float64Array(4), NaN);
    ts.set(2, 17);
    ts.set(5000, 42);
    expect([ts.get(2), ts.get(5000)]).toEqual([17, 42]);
    expect(Number.isNaN(ts.get(3))).toBe(true);
    expect(Number.isNaN(ts.get(10 ** 7))).toBe(true);
    ts.clear(2);
    expect(Number.isNaN(ts.get(2))).toBe(true);
  });

  it('removes a label from its group in place, keeping the others', () => {
    const g = new LabelGroups();
    for (const label of [10, 11, 12, 13]) g.add(1, label);
    g.add(2, 20);
    g.remove(1, 11);
    g.remove(1, 13);
    g.remove(2, 11); // not in that group: nothing happens
    expect([...g.of(1)].sort()).toEqual([10, 12]);
    expect(g.of(2)).toEqual([20]);
    g.remove(1, 10);
    g.remove(1, 12);
    expect(g.of(1)).toEqual([]);
    expect(g.of(7)).toEqual([]);
  });
});
