import { describe, expect, it } from 'vitest';
import { SimilarPrompts } from '../src/model/search/similar-prompts.js';
import { HnswVectorIndex } from '../src/adapters/hnsw/hnsw-index.js';
import { Bm25Index } from '../src/adapters/lexical/bm25-index.js';

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

describe('hybrid text search', () => {
  const texts = [
    ['a', 'Write a function to reverse a linked list in place.'],
    ['a', 'Merge two sorted linked lists into one sorted list.'],
    ['b', 'What is a good recipe for banana bread?'],
    ['b', 'How do I reverse the order of words in a sentence?'],
    ['c', 'quick one for you: reverse a singly linked list without extra memory'],
  ] as const;
  // Vectors that say little (one shared direction): the word index has to find the linked lists.
  const build = () => {
    const prompts = new SimilarPrompts(HnswVectorIndex.create(16, params), undefined, Bm25Index.create());
    texts.forEach(([accountId, text], i) => prompts.add({ label: i + 1, promptId: `p${i + 1}`, accountId, vector: unit(16, i % 2), text }));
    return prompts;
  };

  it('fuses word matches with vector neighbours, and keeps account filters on both', () => {
    const prompts = build();
    const hybrid = prompts.searchText('reverse a linked list', unit(16, 5), { k: 3 }, 'hybrid');
    expect(hybrid.map((h) => h.promptId)).toEqual(expect.arrayContaining(['p1', 'p5']));
    expect(hybrid.find((h) => h.promptId === 'p3')).toBeUndefined();
    const lexical = prompts.searchText('reverse a linked list', unit(16, 5), { k: 2 }, 'lexical');
    expect(lexical.map((h) => h.promptId).sort()).toEqual(['p1', 'p5']);
    expect(lexical.every((h) => h.lexicalScore! > 0)).toBe(true);
    const onlyC = prompts.searchText('reverse a linked list', unit(16, 5), { k: 3, accountId: 'c' }, 'hybrid');
    expect(onlyC.map((h) => h.accountId)).toEqual(['c']);
    expect(prompts.searchText('reverse a linked list', unit(16, 5), { k: 5, excludeAccountId: 'a' }, 'hybrid').every((h) => h.accountId !== 'a')).toBe(true);
  });

  it('forgets removed prompts, and survives a round trip through its snapshot form', () => {
    const prompts = build();
    prompts.remove(1);
    expect(prompts.searchText('reverse a linked list', unit(16, 5), { k: 5 }, 'lexical').map((h) => h.promptId)).not.toContain('p1');
    const lexical = Bm25Index.create();
    lexical.add(7, 'reverse a linked list');
    const restored = Bm25Index.load(lexical.toJSON());
    expect(restored.search('linked list', 3)).toEqual([expect.objectContaining({ label: 7 })]);
  });
});

describe('filtered search', () => {
  const day = 86_400_000;
  const build = () => {
    const prompts = new SimilarPrompts(HnswVectorIndex.create(16, params), undefined, Bm25Index.create());
    for (let i = 0; i < 300; i++) {
      const [accountId, area] = i % 3 === 0 ? ['fleet-a', 'swe'] : i % 3 === 1 ? ['fleet-b', 'math'] : ['user', 'swe'];
      prompts.add({ label: i + 1, promptId: `p-${i}`, accountId, vector: unit(16, i % 16), ts: i * day, area, text: `task ${i} about linked lists` });
    }
    return prompts;
  };

  it('keeps only the campaign members, area and time range asked for, in both the vector and the word lists', () => {
    const prompts = build();
    for (const mode of ['vector', 'lexical', 'hybrid'] as const) {
      const hits = prompts.searchText('linked lists', unit(16, 3), { k: 20, accountIds: ['fleet-a', 'fleet-b'], area: 'swe', from: 30 * day, to: 90 * day }, mode);
      expect(hits).toHaveLength(20);
      for (const h of hits) {
        const i = Number(h.promptId.slice(2));
        expect(h.accountId).toBe('fleet-a');
        expect(i).toBeGreaterThanOrEqual(30);
        expect(i).toBeLessThan(90);
      }
    }
  });

  it('answers nothing for an unknown area or accounts nobody has, and survives a snapshot', () => {
    const prompts = build();
    expect(prompts.search(unit(16, 3), { k: 5, area: 'cooking' })).toEqual([]);
    expect(prompts.search(unit(16, 3), { k: 5, accountIds: ['nobody'] })).toEqual([]);
    const restored = new SimilarPrompts(prompts.index, JSON.parse(JSON.stringify(prompts.snapshot())));
    const hits = restored.search(unit(16, 3), { k: 10, area: 'math', to: 20 * day });
    expect(hits.map((h) => h.promptId).sort()).toEqual(['p-1', 'p-10', 'p-13', 'p-16', 'p-19', 'p-4', 'p-7']);
  });
});
