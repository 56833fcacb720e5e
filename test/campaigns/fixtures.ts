import type { Neighbour, VectorIndex } from '../../src/domain/vector-index.js';
import type { LinkPrompt } from '../../src/campaigns/types.js';

/** Exact search over a handful of vectors: the linker's contract without the native index. */
export class BruteForceIndex implements VectorIndex {
  readonly dimension: number;
  private readonly vectors = new Map<number, Float32Array>();
  constructor(dimension: number) {
    this.dimension = dimension;
  }
  get size(): number {
    return this.vectors.size;
  }
  add(label: number, vector: Float32Array): void {
    this.vectors.set(label, vector);
  }
  remove(label: number): void {
    this.vectors.delete(label);
  }
  has(label: number): boolean {
    return this.vectors.has(label);
  }
  vectorOf(label: number): Float32Array | undefined {
    return this.vectors.get(label);
  }
  search(vector: Float32Array, k: number, filter?: (label: number) => boolean): Neighbour[] {
    return [...this.vectors]
      .filter(([l]) => !filter || filter(l))
      .map(([label, v]) => ({ label, similarity: v.reduce((s, x, i) => s + x * vector[i]!, 0) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, k);
  }
}

const DIM = 16;

/** A unit vector of its own for each distinct seed, so unrelated prompts are far apart. */
export function vectorFor(seed: number): Float32Array {
  const v = new Float32Array(DIM);
  let s = seed * 7919 + 1;
  for (let i = 0; i < DIM; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    v[i] = s / 2147483648 - 0.5;
  }
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

let next = 0;
export function prompt(accountId: string, text: string, extra: Partial<LinkPrompt> = {}): LinkPrompt {
  const id = next++;
  return { accountId, promptId: `p${id}`, ts: Date.UTC(2026, 4, 1) + id * 60_000, text, vector: vectorFor(id), ...extra };
}

export const index = () => new BruteForceIndex(DIM);
