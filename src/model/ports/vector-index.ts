/** Approximate nearest-neighbour index over unit vectors, addressed by integer labels. */
export interface VectorIndex {
  readonly dimension: number;
  readonly size: number;
  add(label: number, vector: Float32Array): void;
  /** Marks a label deleted: it is never returned again. */
  remove(label: number): void;
  has(label: number): boolean;
  /** The stored vector of a label, if indexed. */
  vectorOf(label: number): Float32Array | undefined;
  /**
   * Nearest first; similarity is cosine similarity in [-1, 1]. `ef` overrides the search breadth for
   * this call (smaller: faster, less exact), for lookups that need only a close neighbour.
   */
  search(vector: Float32Array, k: number, filter?: (label: number) => boolean, ef?: number): Neighbour[];
}

export interface Neighbour {
  label: number;
  similarity: number;
}
