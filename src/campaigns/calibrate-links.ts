import type { AccountEdge } from './types.js';

/**
 * The edge threshold, from organic traffic only: each organic account's strongest edge, and the
 * threshold just above the value that `linkedShare` of organic accounts reach. Organic templated
 * batch jobs do share templates, so the share is not zero; the pooled score keeps those clusters
 * unflagged. `floor` keeps a tiny or link-free reference from producing a threshold near zero.
 */
export function calibrateLinkThreshold(organicEdges: readonly AccountEdge[], organicAccounts: number, linkedShare: number, floor: number): number {
  const strongest = new Map<string, number>();
  for (const e of organicEdges) {
    for (const x of [e.a, e.b]) strongest.set(x, Math.max(strongest.get(x) ?? 0, e.weight));
  }
  const sorted = [...strongest.values()].sort((a, b) => b - a);
  const allowed = Math.floor(linkedShare * organicAccounts);
  const at = sorted[allowed] ?? 0;
  return Math.max(floor, at * 1.05);
}
