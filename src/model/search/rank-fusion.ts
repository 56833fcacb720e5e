/**
 * Reciprocal rank fusion: each list gives an item 1 / (k + rank); items found by both a vector and
 * a word search rise, and neither list's score scale matters. k = 60 is the value of the original
 * paper (Cormack et al., 2009), where it was robust across collections.
 */
export const RRF_K = 60;

export function fuseRanks(lists: readonly (readonly number[])[], k = RRF_K): { label: number; score: number }[] {
  const score = new Map<number, number>();
  for (const list of lists) list.forEach((label, rank) => score.set(label, (score.get(label) ?? 0) + 1 / (k + rank + 1)));
  return [...score].map(([label, s]) => ({ label, score: s })).sort((a, b) => b.score - a.score || a.label - b.label);
}
