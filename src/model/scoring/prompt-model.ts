import { z } from 'zod';
import { describeFeature, FEATURE_BITS, featureIndex, namedFeatures, promptFeatures, type SparseFeatures } from './prompt-features.js';

/**
 * The per-prompt curriculum model: logistic regression over `promptFeatures`, trained with classes
 * and sources balanced, so its log-odds read as a log likelihood ratio
 * log P(text | curriculum) / P(text | organic) with no prior folded in. The account model
 * (`curriculum-evidence.ts`) aggregates those ratios.
 */
export const promptModelSchema = z.object({
  kind: z.literal('curriculum-logreg'),
  version: z.string().min(1),
  featureBits: z.literal(FEATURE_BITS),
  /** What it was trained on and the command that rebuilds it. */
  trainedOn: z.string(),
  /** The prompt pools it learned from, by name: eval fits afresh on traffic drawn from any of them. */
  pools: z.array(z.string()).default([]),
  command: z.string(),
  /** Non-zero weights as [index, weight] pairs. */
  weights: z.array(z.tuple([z.number().int().min(0).max((1 << FEATURE_BITS) - 1), z.number()])),
});
export type PromptModelFile = z.infer<typeof promptModelSchema>;

export interface PromptModel {
  readonly version: string;
  /** The pools it learned from (none for a model trained on a deployment's traffic). */
  readonly pools: readonly string[];
  /** Log likelihood ratio curriculum vs organic of one prompt, unclipped. */
  llr(text: string): number;
  /** The same from precomputed features. */
  llrOf(f: SparseFeatures): number;
  /** The features that pushed this prompt most toward curriculum, in words. */
  explain(text: string, top?: number): string[];
}

/** `promptFeatures` remembered per text, for work that featurises the same texts many times. */
export function memoisedFeatures(): (text: string) => SparseFeatures {
  const memo = new Map<string, SparseFeatures>();
  return (text) => {
    let f = memo.get(text);
    if (!f) memo.set(text, (f = promptFeatures(text)));
    return f;
  };
}

/** The same model reading features from `featuresOf` (a cache) instead of computing them. */
export function withFeatures(model: PromptModel, featuresOf: (text: string) => SparseFeatures): PromptModel {
  return { ...model, llr: (text) => model.llrOf(featuresOf(text)) };
}

export function promptModelFrom(file: PromptModelFile): PromptModel {
  const w = new Float32Array(1 << FEATURE_BITS);
  for (const [i, x] of file.weights) w[i] = x;
  return fromWeights(file.version, file.pools, w);
}

function fromWeights(version: string, pools: readonly string[], w: Float32Array): PromptModel {
  const llrOf = (f: SparseFeatures) => {
    let z = 0;
    for (let i = 0; i < f.idx.length; i++) z += w[f.idx[i]!]! * f.val[i]!;
    return z;
  };
  return {
    version,
    pools,
    llr: (text) => llrOf(promptFeatures(text)),
    llrOf,
    explain(text, top = 3) {
      return [...namedFeatures(text)]
        .map(([name, v]) => [name, w[featureIndex(name)]! * v] as const)
        .filter(([name, c]) => c > 0 && name !== 'bias')
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([name]) => describeFeature(name));
    },
  };
}

export interface TrainingExample {
  text: string;
  curriculum: boolean;
  /** Examples of one source share a weight, so a big pool does not define its class. */
  source: string;
}

export interface TrainOptions {
  epochs: number;
  l2: number;
  learningRate: number;
  seed: number;
  /** Where features come from: a cache when the same texts train several models. */
  featuresOf: (text: string) => SparseFeatures;
}

const DEFAULT_TRAIN_OPTIONS: TrainOptions = { epochs: 6, l2: 1e-5, learningRate: 0.2, seed: 1, featuresOf: promptFeatures };

/**
 * AdaGrad logistic regression with L2, each class weighted to half the total and each source an
 * equal share of its class. Deterministic for a given seed and example order.
 */
export function trainPromptModel(
  examples: readonly TrainingExample[],
  meta: { version: string; trainedOn: string; command: string; pools?: string[] },
  options: Partial<TrainOptions> = {},
  onEpoch: (epoch: number, loss: number) => void = () => {},
): { file: PromptModelFile; model: PromptModel } {
  const opt = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const feats = examples.map((e) => opt.featuresOf(e.text));
  const weight = exampleWeights(examples);
  const w = new Float32Array(1 << FEATURE_BITS);
  const g2 = new Float32Array(1 << FEATURE_BITS).fill(1e-8);
  let s = opt.seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < opt.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let loss = 0;
    for (const n of order) {
      const f = feats[n]!;
      let z = 0;
      for (let i = 0; i < f.idx.length; i++) z += w[f.idx[i]!]! * f.val[i]!;
      const y = examples[n]!.curriculum ? 1 : 0;
      const p = 1 / (1 + Math.exp(-z));
      loss += weight[n]! * (y ? -Math.log(p + 1e-12) : -Math.log(1 - p + 1e-12));
      const err = weight[n]! * (p - y);
      for (let i = 0; i < f.idx.length; i++) {
        const k = f.idx[i]!;
        const g = err * f.val[i]! + opt.l2 * w[k]!;
        g2[k]! += g * g;
        w[k]! -= (opt.learningRate * g) / Math.sqrt(g2[k]!);
      }
    }
    onEpoch(epoch + 1, loss / order.length);
  }
  const weights: [number, number][] = [];
  for (let i = 0; i < w.length; i++) {
    const x = Math.round(w[i]! * 1e4) / 1e4;
    if (x !== 0) weights.push([i, x]);
  }
  const file: PromptModelFile = { kind: 'curriculum-logreg', version: meta.version, featureBits: FEATURE_BITS, trainedOn: meta.trainedOn, pools: meta.pools ?? [], command: meta.command, weights };
  return { file, model: promptModelFrom(file) };
}

/** Per-example weights: each class sums to N/2, each source within it to an equal part. */
function exampleWeights(examples: readonly TrainingExample[]): Float64Array {
  const perSource = new Map<string, number>();
  const sourcesPerClass = [new Set<string>(), new Set<string>()];
  for (const e of examples) {
    perSource.set(`${+e.curriculum}:${e.source}`, (perSource.get(`${+e.curriculum}:${e.source}`) ?? 0) + 1);
    sourcesPerClass[+e.curriculum]!.add(e.source);
  }
  const n = examples.length;
  return Float64Array.from(examples, (e) => {
    const classShare = n / 2 / Math.max(1, sourcesPerClass[+e.curriculum]!.size);
    return classShare / perSource.get(`${+e.curriculum}:${e.source}`)!;
  });
}
