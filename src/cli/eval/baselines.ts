import { shapiroWilkW } from './shapiro-wilk.js';

/** Per-account view of classified traffic the baselines work on: vectors in arrival order. */
export type AccountVectors = Map<string, Float32Array[]>;

/** What a rate limit sees: how many prompts the account sent. */
export function volumeScores(accounts: AccountVectors): Map<string, number> {
  return new Map([...accounts].map(([id, vs]) => [id, vs.length]));
}

/** Fewer distances than this and W says nothing; PRADA waits for a minimum stream length too. */
const PRADA_MIN_DISTANCES = 20;

/**
 * PRADA (Juuti et al. 2019): each new query's minimum L2 distance to the account's earlier queries
 * forms a distribution that is close to normal for natural queries and skewed for synthetic
 * sweeps; the score is 1 - Shapiro-Wilk W over those distances (higher = less normal). Simplified:
 * every query joins the comparison set (the paper only adds queries above a distance threshold).
 */
export function pradaScores(accounts: AccountVectors): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, vs] of accounts) {
    const dists: number[] = [];
    for (let i = 1; i < vs.length; i++) {
      let best = -Infinity;
      for (let j = 0; j < i; j++) best = Math.max(best, dot(vs[i]!, vs[j]!));
      dists.push(Math.sqrt(Math.max(0, 2 - 2 * best)));
    }
    out.set(id, dists.length >= PRADA_MIN_DISTANCES ? 1 - shapiroWilkW(dists) : 0);
  }
  return out;
}

export interface MmdReference {
  vectors: Float32Array[];
  /** Kernel bandwidth (median pairwise distance of the reference, the usual heuristic). */
  sigma: number;
  /** Mean kernel value between distinct reference points: the constant third term of MMD². */
  refMean: number;
}

/** An organic reference sample for the MMD test: `size` prompt vectors drawn with a fixed seed. */
export function mmdReference(organic: readonly Float32Array[], size = 500, seed = 1): MmdReference {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const pool = [...organic];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  const vectors = pool.slice(0, size);
  const dists: number[] = [];
  for (let i = 0; i < vectors.length; i++) for (let j = i + 1; j < vectors.length; j++) dists.push(Math.sqrt(Math.max(0, 2 - 2 * dot(vectors[i]!, vectors[j]!))));
  dists.sort((a, b) => a - b);
  const sigma = dists[dists.length >> 1] ?? 1;
  const ref = { vectors, sigma, refMean: 0 };
  let sum = 0;
  for (let i = 0; i < vectors.length; i++) for (let j = i + 1; j < vectors.length; j++) sum += kernel(ref, vectors[i]!, vectors[j]!);
  ref.refMean = (2 * sum) / Math.max(1, vectors.length * (vectors.length - 1));
  return ref;
}

/** Most recent queries per account the MMD window holds. */
const MMD_WINDOW = 256;
/** Below this the unbiased estimate is mostly noise, and small organic accounts would own the tail. */
const MMD_MIN = 20;

/**
 * MMD window test (LabRAI 2026, "An Embarrassingly Simple Detector for Model Extraction Attacks in
 * LLM API Traffic"): unbiased MMD² with a Gaussian kernel between the account's latest queries and
 * the organic reference; thresholds come from organic accounts like every other detector here.
 */
export function mmdScores(accounts: AccountVectors, ref: MmdReference): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, all] of accounts) {
    const xs = all.slice(-MMD_WINDOW);
    const m = xs.length;
    if (m < MMD_MIN) {
      out.set(id, 0);
      continue;
    }
    let xx = 0;
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) xx += kernel(ref, xs[i]!, xs[j]!);
    let xr = 0;
    for (const x of xs) for (const r of ref.vectors) xr += kernel(ref, x, r);
    out.set(id, (2 * xx) / (m * (m - 1)) - (2 * xr) / (m * ref.vectors.length) + ref.refMean);
  }
  return out;
}

function kernel(ref: Pick<MmdReference, 'sigma'>, a: Float32Array, b: Float32Array): number {
  const d2 = Math.max(0, 2 - 2 * dot(a, b));
  return Math.exp(-d2 / (2 * ref.sigma * ref.sigma));
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
