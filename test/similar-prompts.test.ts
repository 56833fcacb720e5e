import { describe, expect, it } from 'vitest';
import { SimilarPrompts } from '../src/model/search/similar-prompts.js';
import { HnswVectorIndex } from '../src/adapters/hnsw/hnsw-index.js';

const params = { m: 16, efConstruction: 100, efSearch: 64 };
const unit = (dim: number, hot: number) => {
  const v = new Float32Array(dim).fill(0.01);
  v[hot] = 1;
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

describe('account-filtered search', () => {
  it('finds an account\'s prompts among thousands of identical vectors (templated traffic)', () => {
    const prompts = new SimilarPrompts(HnswVectorIndex.create(16, params));
    // Templates that differ only in numbers embed identically: a graph walk can strand such nodes.
    for (let i = 0; i < 6000; i++) prompts.add({ label: i + 1, promptId: `bulk-${i}`, accountId: `bulk-${i % 40}`, vector: unit(16, i % 3) });
    prompts.add({ label: 7001, promptId: 'cook-0', accountId: 'cook', vector: unit(16, 1) });
    prompts.add({ label: 7002, promptId: 'cook-1', accountId: 'cook', vector: unit(16, 9) });

    const hits = prompts.search(unit(16, 9), { k: 3, accountId: 'cook' });
    expect(hits.map((h) => h.promptId)).toEqual(['cook-1', 'cook-0']);
    expect(hits[0]!.similarity).toBeCloseTo(1, 5);

    prompts.remove(7002);
    expect(prompts.search(unit(16, 9), { k: 3, accountId: 'cook' }).map((h) => h.promptId)).toEqual(['cook-0']);
  });
});
