import type { AccountEdge, Cluster } from './types.js';

/**
 * Connected components of the account graph over edges of at least `threshold`. A cluster's id
 * is derived from its smallest member, so re-running on the same traffic gives the same ids.
 * Accounts with no edge over the threshold are not returned: they are their own, unlinked, selves.
 */
export function clusterAccounts(edges: readonly AccountEdge[], threshold: number): Cluster[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    while (parent.get(x) !== r) {
      const next = parent.get(x)!;
      parent.set(x, r);
      x = next;
    }
    return r;
  };
  const strong = edges.filter((e) => e.weight >= threshold);
  for (const e of strong) {
    for (const x of [e.a, e.b]) if (!parent.has(x)) parent.set(x, x);
    const ra = find(e.a);
    const rb = find(e.b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const groups = new Map<string, Cluster>();
  for (const x of parent.keys()) {
    const r = find(x);
    let c = groups.get(r);
    if (!c) groups.set(r, (c = { id: '', members: [], edges: [] }));
    c.members.push(x);
  }
  for (const e of strong) groups.get(find(e.a))!.edges.push(e);
  for (const c of groups.values()) {
    c.members.sort();
    c.id = clusterIdOf(c.members);
  }
  return [...groups.values()];
}

/** A cluster's id, from its smallest member: the same traffic gives the same ids. */
export function clusterIdOf(sortedMembers: readonly string[]): string {
  return `cmp_${fnv(sortedMembers[0]!).toString(16).padStart(8, '0')}`;
}

function fnv(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
