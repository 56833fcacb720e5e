/**
 * Account-level evidence from per-prompt likelihood ratios, as a mixture test.
 *
 * An account's traffic is modelled as a mix: a share π of its prompts is curriculum, the rest is
 * organic. With r_i = P(prompt_i | curriculum) / P(prompt_i | organic) from the prompt model, the
 * log-likelihood of a share π is ℓ(π) = Σ log(1 − π + π·r_i). The evidence is the likelihood
 * ratio of "more than the tolerance π0 is curriculum" against "at most π0 is":
 *
 *   evidence = max_π ℓ(π) − max_{π ≤ π0} ℓ(π)   (nats, ≥ 0)
 *
 * Why this shape: 80 curriculum items among 720 organic prompts (hidden-in-organic at 10%) add up
 * to strong evidence, because every one of them counts, while every organic-looking prompt pulls
 * the estimate of π down, so a big organic account with a few instruction-like prompts gains
 * little. The shipped π0 is 0 (models/detection.json says why); a positive π0 would excuse a
 * share of curriculum-like prompts in every account, at the price of the hidden 10%.
 *
 * ℓ is kept on a fixed grid of π, so it is a few additive numbers per account: mergeable (campaigns
 * pool members by adding them) and updated in O(grid) per prompt.
 */
export const MIX_GRID: readonly number[] = [0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1];

export function emptyMixture(): number[] {
  return MIX_GRID.map(() => 0);
}

/** Adds one prompt with log likelihood ratio `llr` (already clipped) to the mixture sums, in place. */
export function addToMixture(mix: number[], llr: number): void {
  const r = Math.exp(llr);
  for (let i = 0; i < MIX_GRID.length; i++) {
    const p = MIX_GRID[i]!;
    mix[i]! += Math.log(1 - p + p * r);
  }
}

export function mergeMixtures(a: readonly number[], b: readonly number[]): number[] {
  return a.map((x, i) => x + (b[i] ?? 0));
}

export interface MixtureFit {
  /** Evidence in nats that more than `tolerance` of the traffic is curriculum. */
  nats: number;
  /** Most likely curriculum share on the grid. */
  share: number;
}

export function fitMixture(mix: readonly number[], tolerance: number): MixtureFit {
  let best = -Infinity;
  let share = 0;
  let nullBest = -Infinity;
  for (let i = 0; i < MIX_GRID.length; i++) {
    const p = MIX_GRID[i]!;
    const l = mix[i]!;
    if (l > best) {
      best = l;
      share = p;
    }
    if (p <= tolerance + 1e-12) nullBest = Math.max(nullBest, l);
  }
  return { nats: Math.max(0, best - nullBest), share };
}
