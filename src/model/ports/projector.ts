/** Lays high-dimensional vectors out in two dimensions, keeping neighbours near (for maps). */
export interface Projector {
  project(vectors: readonly Float32Array[]): [number, number][];
}
