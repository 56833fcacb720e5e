/**
 * The seam between the domain and whatever turns text into vectors. Vectors are L2-normalised,
 * so cosine similarity is a dot product everywhere downstream.
 */
export interface Embedder {
  /** Identifies the model that produced the vectors; indexes refuse to mix models. */
  readonly modelId: string;
  readonly dimension: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}
