import type { Cluster, ReasonKind } from './types.js';

/** One drawn link between two members: how strong, by which kinds of evidence, and the strongest shared key. */
export interface GraphEdge {
  a: string;
  b: string;
  weight: number;
  kinds: ReasonKind[];
  key: string;
}

/**
 * The edges an analyst sees on a campaign's graph. A fleet of n accounts can hold n² edges; the
 * maximum spanning forest keeps every member attached by its strongest evidence, and the strongest
 * of the other edges fill up to `maxEdges`, so the drawing stays readable and shows what holds the
 * campaign together.
 */
export function campaignGraph(c: Pick<Cluster, 'edges'>, maxEdges: number): GraphEdge[] {
  const byWeight = [...c.edges].sort((x, y) => y.weight - x.weight);
  const parent = new Map<string, string>();
  const root = (x: string): string => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const tree: typeof byWeight = [];
  const rest: typeof byWeight = [];
  for (const e of byWeight) {
    const [ra, rb] = [root(e.a), root(e.b)];
    if (ra === rb) rest.push(e);
    else {
      parent.set(ra, rb);
      tree.push(e);
    }
  }
  return [...tree, ...rest.slice(0, Math.max(0, maxEdges - tree.length))].map((e) => {
    const top = e.reasons.reduce((best, r) => (r.weight > best.weight ? r : best), e.reasons[0]!);
    return { a: e.a, b: e.b, weight: Math.round(e.weight * 1e4) / 1e4, kinds: [...new Set(e.reasons.map((r) => r.kind))], key: top?.key ?? '' };
  });
}
