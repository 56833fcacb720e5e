import type { Classifier } from '../../src/scoring/classifier.js';
import type { Embedder } from '../../src/domain/embedder.js';

/** Deterministic hashed bag of words: enough for tests that are about plumbing, not semantics. */
export function fakeEmbedder(dimension = 16): Embedder & { calls: number } {
  const e = {
    modelId: 'fake-bow',
    dimension,
    calls: 0,
    async embed(texts: readonly string[]) {
      e.calls++;
      return texts.map((t) => {
        const v = new Float32Array(dimension);
        for (const w of t.toLowerCase().split(/\W+/).filter(Boolean)) {
          let h = 2166136261;
          for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 16777619);
          v[(h >>> 0) % dimension]! += 1;
        }
        const n = Math.hypot(...v) || 1;
        return v.map((x) => x / n);
      });
    },
  };
  return e;
}

/** Puts everything in one sub-area: for tests about storage, not classification. */
export const fixedClassifier: Classifier = {
  taxonomyVersion: 'test',
  modelId: 'fake-bow',
  subAreas: [],
  classify: () => ({ subArea: 'other.other', area: 'other', highValue: false, confidence: 1 }),
};
