import type { Embedder } from '../ports/embedder.js';
import { OTHER, subAreas, type SubAreaInfo, type Taxonomy } from './taxonomy.js';

export interface Classification {
  subArea: string;
  area: string;
  highValue: boolean;
  /** Softmax share of the chosen sub-area among all sub-area scores; for rejects, how far below the bar. */
  confidence: number;
}

export interface Classifier {
  readonly taxonomyVersion: string;
  readonly modelId: string;
  readonly subAreas: readonly SubAreaInfo[];
  /** `text` feeds the taxonomy's lexical cues; the vector is the prompt's ingest-time embedding. */
  classify(vector: Float32Array, text: string): Classification;
}

/**
 * k-nearest-exemplar classifier: a sub-area's score is the mean cosine similarity of its k most
 * similar exemplars (robust to one odd exemplar, and to sub-areas of different sizes), the prompt
 * goes to the best sub-area unless that score is under `minSimilarity`, where it is rejected to
 * `other.other`. Building it embeds the exemplars once; classifying is one matrix-vector product,
 * so re-classifying after a taxonomy reload is cheap.
 */
export async function buildClassifier(taxonomy: Taxonomy, embedder: Embedder): Promise<Classifier> {
  const infos = subAreas(taxonomy);
  const byId = new Map(infos.map((s) => [s.id, s]));
  const texts: string[] = [];
  const owner: number[] = [];
  const scored: SubAreaInfo[] = [];
  for (const area of taxonomy.areas) {
    for (const sub of area.subAreas) {
      if (sub.exemplars.length === 0) continue;
      const idx = scored.push(byId.get(`${area.id}.${sub.id}`)!) - 1;
      for (const e of sub.exemplars) {
        texts.push(e);
        owner.push(idx);
      }
    }
  }
  const vectors = await embedder.embed(texts);
  const d = embedder.dimension;
  const matrix = new Float32Array(vectors.length * d);
  vectors.forEach((v, i) => matrix.set(v, i * d));
  const { k, minSimilarity, temperature } = taxonomy.classifier;
  const other = byId.get(OTHER)!;
  const cues = taxonomy.classifier.cues.map((c) => ({ re: new RegExp(c.pattern, c.flags), boost: c.areaBoost }));
  const bonus = new Float64Array(scored.length);

  // Per-sub-area top-k buffers, reused across calls (classify is synchronous and single-threaded).
  const top = scored.map(() => new Float64Array(k).fill(-Infinity));
  const counts = new Int32Array(scored.length);
  for (const o of owner) counts[o]!++;
  const scores = new Float64Array(scored.length);

  return {
    taxonomyVersion: taxonomy.version,
    modelId: embedder.modelId,
    subAreas: infos,
    classify(vector: Float32Array, text: string): Classification {
      if (vector.length !== d) throw new Error(`vector has ${vector.length} dimensions, the classifier ${d}`);
      for (const t of top) t.fill(-Infinity);
      // The hot loop of ingest (one pass over every exemplar per prompt): four accumulators let V8
      // overlap the multiply-adds, about 1.6x over the plain loop.
      for (let e = 0, base = 0; e < owner.length; e++, base += d) {
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let j = 0;
        for (; j + 3 < d; j += 4) {
          s0 += matrix[base + j]! * vector[j]!;
          s1 += matrix[base + j + 1]! * vector[j + 1]!;
          s2 += matrix[base + j + 2]! * vector[j + 2]!;
          s3 += matrix[base + j + 3]! * vector[j + 3]!;
        }
        for (; j < d; j++) s0 += matrix[base + j]! * vector[j]!;
        insertTopK(top[owner[e]!]!, s0 + s1 + s2 + s3);
      }
      bonus.fill(0);
      for (const cue of cues) {
        if (!cue.re.test(text)) continue;
        for (let c = 0; c < scored.length; c++) bonus[c]! += cue.boost[scored[c]!.area] ?? 0;
      }
      let best = 0;
      for (let c = 0; c < scored.length; c++) {
        const n = Math.min(k, counts[c]!);
        let sum = 0;
        for (let j = 0; j < n; j++) sum += top[c]![j]!;
        scores[c] = sum / n + bonus[c]!;
        if (scores[c]! > scores[best]!) best = c;
      }
      const bestScore = scores[best]!;
      if (!(bestScore >= minSimilarity)) {
        const below = minSimilarity - (Number.isFinite(bestScore) ? bestScore : -1);
        return { subArea: other.id, area: other.area, highValue: other.highValue, confidence: Math.min(1, below / Math.max(1e-9, 1 + minSimilarity)) };
      }
      let z = 0;
      for (let c = 0; c < scored.length; c++) z += Math.exp((scores[c]! - bestScore) / temperature);
      const info = scored[best]!;
      return { subArea: info.id, area: info.area, highValue: info.highValue, confidence: 1 / z };
    },
  };
}

/** Keeps `buf` sorted descending; `buf.length` is k. */
function insertTopK(buf: Float64Array, s: number): void {
  if (s <= buf[buf.length - 1]!) return;
  let i = buf.length - 1;
  while (i > 0 && buf[i - 1]! < s) {
    buf[i] = buf[i - 1]!;
    i--;
  }
  buf[i] = s;
}
