import type { SearchMode } from './similar-prompts.js';

/** A hit as an index shard answers it, with its rank in that shard's answer. */
export interface ShardHit {
  similarity: number;
}

/**
 * One answer from the answers of index shards that each hold a disjoint part of the prompts.
 * Vector search merges by cosine similarity: each shard's top k holds every global top-k prompt it
 * has, so the merge is exact. Word and hybrid scores are ranks within a shard (and word weights
 * depend on the shard's own document counts), so those answers interleave by rank, which is
 * reciprocal-rank fusion over lists that share no prompt; ties go to the higher similarity.
 */
export function mergeShardHits<T extends ShardHit>(answers: readonly (readonly T[])[], mode: SearchMode, k: number): T[] {
  const ranked = answers.flatMap((hits) => hits.map((hit, rank) => ({ hit, rank })));
  ranked.sort((a, b) => (mode === 'vector' ? 0 : a.rank - b.rank) || b.hit.similarity - a.hit.similarity);
  return ranked.slice(0, k).map((r) => r.hit);
}
