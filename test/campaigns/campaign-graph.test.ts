import { describe, expect, it } from 'vitest';
import { campaignGraph } from '../../src/model/campaigns/campaign-graph.js';
import type { AccountEdge, ReasonKind } from '../../src/model/campaigns/types.js';

const edge = (a: string, b: string, weight: number, kind: ReasonKind = 'template', key = `k-${a}-${b}`): AccountEdge => ({
  a,
  b,
  weight,
  reasons: [{ kind, key, weight, accountsWithKey: 2, examplePromptIds: [] }],
});

describe('campaign graph', () => {
  it('keeps every member attached by its strongest link before adding other edges', () => {
    // A dense core a-b-c and one member d attached only by a weak edge.
    const edges = [edge('a', 'b', 9), edge('b', 'c', 8), edge('a', 'c', 7), edge('c', 'd', 1, 'infrastructure', 'ip:10.0.0.1')];
    const drawn = campaignGraph({ edges }, 3);
    expect(drawn).toHaveLength(3);
    expect(drawn.map((e) => `${e.a}-${e.b}`).sort()).toEqual(['a-b', 'b-c', 'c-d']);
    expect(drawn.find((e) => e.b === 'd')).toMatchObject({ kinds: ['infrastructure'], key: 'ip:10.0.0.1', weight: 1 });
    expect(campaignGraph({ edges }, 10)).toHaveLength(4);
  });

  it('names the strongest shared key and every kind of evidence on an edge', () => {
    const e: AccountEdge = {
      a: 'x',
      b: 'y',
      weight: 5,
      reasons: [
        { kind: 'template', key: 'You are completing a dataset task', weight: 4, accountsWithKey: 9, examplePromptIds: [] },
        { kind: 'infrastructure', key: 'asn:AS1', weight: 1, accountsWithKey: 9, examplePromptIds: [] },
      ],
    };
    expect(campaignGraph({ edges: [e] }, 5)).toEqual([{ a: 'x', b: 'y', weight: 5, kinds: ['template', 'infrastructure'], key: 'You are completing a dataset task' }]);
  });
});
