import { describe, expect, it } from 'vitest';
import { mergeShardHits } from '../../src/model/search/shard-merge.js';

const hit = (id: string, similarity: number) => ({ id, similarity });

describe('merging index shards’ answers', () => {
  it('takes the k most similar over all shards in vector mode', () => {
    const a = [hit('a1', 0.9), hit('a2', 0.5), hit('a3', 0.4)];
    const b = [hit('b1', 0.95), hit('b2', 0.7), hit('b3', 0.1)];
    expect(mergeShardHits([a, b], 'vector', 4).map((h) => h.id)).toEqual(['b1', 'a1', 'b2', 'a2']);
  });

  it('interleaves by rank in hybrid and word modes, the more similar first at equal rank', () => {
    const a = [hit('a1', 0.6), hit('a2', 0.9)];
    const b = [hit('b1', 0.7), hit('b2', 0.2), hit('b3', 0.99)];
    expect(mergeShardHits([a, b], 'hybrid', 5).map((h) => h.id)).toEqual(['b1', 'a1', 'a2', 'b2', 'b3']);
    expect(mergeShardHits([a, [], b], 'lexical', 2).map((h) => h.id)).toEqual(['b1', 'a1']);
  });
});
