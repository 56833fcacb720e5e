import { describe, expect, it } from 'vitest';
import { PromptClusters } from '../../src/model/search/prompt-clusters.js';

const DAY = 24 * 3600 * 1000;
const T0 = Date.UTC(2026, 4, 1);

describe('prompt clusters', () => {
  const build = () => {
    const c = new PromptClusters(0.9);
    const texts = [
      ['fleet-1', 'swe', 'Write a function to reverse a linked list.'],
      ['fleet-2', 'swe', 'Reverse a doubly linked list in Python.'],
      ['fleet-1', 'swe', 'Detect a cycle in a linked list.'],
      ['user-1', 'knowledge', 'What is the capital of France?'],
      ['user-2', 'knowledge', 'Who wrote the Iliad?'],
    ] as const;
    // Prompts 1-3 are near each other; 4 and 5 near nothing.
    texts.forEach(([accountId, area, text], i) => {
      const label = i + 1;
      const neighbours = label === 1 || label > 3 ? [] : [{ label: label - 1, similarity: 0.95 }];
      c.assign({ label, promptId: `p${label}`, accountId, ts: T0 + i * DAY, area, text }, neighbours);
    });
    return c;
  };

  it('puts a prompt in its nearest clustered neighbour\'s cluster when alike enough, in a new one otherwise', () => {
    const c = build();
    expect(c.size).toBe(3);
    expect(c.clusterIdOf(2)).toBe(c.clusterIdOf(1));
    expect(c.clusterIdOf(3)).toBe(c.clusterIdOf(1));
    expect(c.clusterIdOf(4)).not.toBe(c.clusterIdOf(5));
    const far = new PromptClusters(0.9);
    far.assign({ label: 1, promptId: 'a', accountId: 'x', ts: T0, area: 'swe', text: 'one' }, []);
    far.assign({ label: 2, promptId: 'b', accountId: 'x', ts: T0, area: 'swe', text: 'two' }, [{ label: 1, similarity: 0.89 }]);
    expect(far.size).toBe(2);
  });

  it('labels a cluster by its distinctive words, and keeps its accounts, areas and days', () => {
    const c = build();
    const [big] = c.list({ minSize: 2, offset: 0, limit: 10 }).items;
    expect(big).toMatchObject({ size: 3, accounts: 2, areas: { swe: 3 }, firstTs: T0, lastTs: T0 + 2 * DAY });
    expect(big!.label.split(' / ')).toEqual(expect.arrayContaining(['linked', 'list']));
    const detail = c.get(big!.id, 10)!;
    expect(detail.topAccounts).toEqual([{ accountId: 'fleet-1', prompts: 2 }, { accountId: 'fleet-2', prompts: 1 }]);
    expect(detail.daily).toEqual([0, 1, 2].map((d) => ({ dayTs: T0 + d * DAY, prompts: 1 })));
    expect(detail.examplePromptIds).toEqual(['p1', 'p2', 'p3']);
    expect(c.coverage('fleet-1', 5)).toEqual([expect.objectContaining({ id: big!.id, prompts: 2 })]);
  });

  it('filters by size, area and label words; forgets removed prompts; survives its snapshot', () => {
    const c = build();
    expect(c.list({ minSize: 1, area: 'knowledge', offset: 0, limit: 10 }).total).toBe(2);
    expect(c.list({ minSize: 1, q: 'linked', offset: 0, limit: 10 }).items).toHaveLength(1);
    const restored = new PromptClusters(0.9, JSON.parse(JSON.stringify(c.snapshot())));
    expect(restored.list({ minSize: 1, offset: 0, limit: 10 })).toEqual(c.list({ minSize: 1, offset: 0, limit: 10 }));
    c.remove(4);
    expect(c.size).toBe(2);
    c.remove(2);
    expect(c.get(c.clusterIdOf(1)!, 5)!.examplePromptIds).toEqual(['p1', 'p3']);
  });
});
