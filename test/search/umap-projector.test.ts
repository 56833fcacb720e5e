import { describe, expect, it } from 'vitest';
import { umapProjector } from '../../src/adapters/projection/umap-projector.js';

const around = (hot: number, jitter: number) => {
  const v = new Float32Array(16).fill(0.01);
  v[hot] = 1;
  v[(hot + 1) % 16] = jitter;
  return v;
};

describe('UMAP projector', () => {
  it('lays two groups out apart, the same way every time', () => {
    const vs = [...Array.from({ length: 10 }, (_, i) => around(0, i / 50)), ...Array.from({ length: 10 }, (_, i) => around(8, i / 50))];
    const xy = umapProjector.project(vs);
    expect(xy).toHaveLength(20);
    expect(umapProjector.project(vs)).toEqual(xy);
    const mean = (ps: [number, number][]) => [ps.reduce((s, p) => s + p[0], 0) / ps.length, ps.reduce((s, p) => s + p[1], 0) / ps.length];
    const [a, b] = [mean(xy.slice(0, 10)), mean(xy.slice(10))];
    const spread = Math.max(...xy.slice(0, 10).map((p) => Math.hypot(p[0] - a[0]!, p[1] - a[1]!)));
    expect(Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!)).toBeGreaterThan(spread);
    expect(umapProjector.project([])).toEqual([]);
    expect(umapProjector.project([around(0, 0)])).toEqual([[0, 0]]);
  });
});
