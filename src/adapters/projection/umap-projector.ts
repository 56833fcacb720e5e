import { UMAP } from 'umap-js';
import type { Projector } from '../../model/ports/projector.js';

/** A fixed-seed PRNG (mulberry32), so the same clusters lay out the same way every time. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** UMAP (umap-js) with 15 neighbours, or as many as there are points less one. */
export const umapProjector: Projector = {
  project(vectors) {
    if (vectors.length === 0) return [];
    if (vectors.length < 3) return vectors.map((_, i) => [i, 0]);
    const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(15, vectors.length - 1), minDist: 0.1, random: seeded(42) });
    return umap.fit(vectors.map((v) => Array.from(v))).map(([x, y]) => [Math.round(x! * 1e4) / 1e4, Math.round(y! * 1e4) / 1e4]);
  },
};
