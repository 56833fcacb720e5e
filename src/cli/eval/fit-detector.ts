import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Sample } from '../../model/sample.js';
import { calibrate, UNCALIBRATED, type Calibration } from '../../model/scoring/calibration.js';
import type { DetectionParams } from '../../model/scoring/detection-params.js';
import { scoreProfile } from '../../model/scoring/score.js';
import { buildProfiles, type ClassifiedTraffic } from '../../model/scoring/traffic.js';
import { hash } from '../../model/scoring/prompt-features.js';
import { memoisedFeatures, trainPromptModel, withFeatures, type PromptModel, type PromptModelFile, type TrainingExample } from '../../model/scoring/prompt-model.js';
import { readSamples } from '../jsonl.js';
import { makeTraffic, readLabels } from './traffic-files.js';
import { writeOrganicOnly, type PoolRow, type Pools, type Scenario } from './pools.js';

export interface FitInput {
  /** Embeds and classifies calibration traffic the way the worker does. */
  classify: (samples: readonly Sample[]) => Promise<ClassifiedTraffic>;
  pools: Pools;
  /** Organic customers of this scenario make the calibration traffic. */
  scenario: Scenario;
  params: DetectionParams;
  /** make-traffic.mjs */
  tool: string;
  seed: number;
  version: string;
  trainedOn: string;
  command: string;
  log?: (msg: string) => void;
}

export interface FitResult {
  file: PromptModelFile;
  model: PromptModel;
  calibration: Calibration;
}

/**
 * The calibration traffic is this many times the scenario's organic customers. With a 0.5% review
 * target at 90% confidence, a reference of ~700 accounts allows no exceedance at all (the single
 * most unusual account sets the bar); ~2,800 allow about eight, so one odd account no longer does.
 */
const CALIBRATION_SCALE = 4;

/**
 * Trains the prompt model on every pool row, and calibrates it on organic traffic it never saw, in
 * the way a deployment meets it: new people (items no model trained on) and, now and then, a new
 * kind of writing (a source no model trained on). Each pool's rows are split in two by a hash of
 * the text: one half trains, the other makes the calibration traffic, shaped like the scenario's
 * organic customers. Then for each organic pool in turn a model trained on the training half of
 * every other pool scores that traffic (leave one source out), and each account enters the
 * reference with its highest evidence over the folds: as if the source it writes most unusually
 * in were new. Pooling the folds instead would dilute the one fold that matters for an account
 * among all the others, more so the more sources there are; and scoring the training data would
 * put every organic account near zero and the thresholds far too low.
 */
export async function fitDetector(input: FitInput): Promise<FitResult> {
  const log = input.log ?? (() => {});
  const half = (r: PoolRow, train: boolean) => (hash(r.text) % 2 === 0) === train;
  const examples = (use: (name: string, r: PoolRow) => boolean): TrainingExample[] =>
    [...input.pools].flatMap(([name, rows]) => rows.filter((r) => use(name, r)).map((r) => ({ text: r.text, curriculum: r.kind === 'curriculum', source: name })));
  const organicPools = [...input.pools].filter(([, rows]) => rows.length && rows.every((r) => r.kind === 'organic')).map(([k]) => k).sort();
  const dir = await mkdtemp(path.join(tmpdir(), 'distill-radar-fit-'));
  try {
    const held: Pools = new Map([...input.pools].map(([k, rows]) => [k, rows.filter((r) => half(r, false))]));
    const scenario = await writeOrganicOnly(input.scenario, held, path.join(dir, 'pools'));
    if (!scenario) throw new Error('no organic pool large enough to calibrate on');
    const out = path.join(dir, 'traffic');
    await makeTraffic({ tool: input.tool, scenario, pools: path.dirname(scenario), outDir: out, seed: input.seed, scale: CALIBRATION_SCALE });
    const traffic = await input.classify(await readSamples(path.join(out, 'traffic.jsonl')));
    const archetype = new Map((await readLabels(out)).map((l) => [l.accountId, l.archetype]));
    // Every fold featurises the same texts again: once is enough.
    const featuresOf = memoisedFeatures();
    const worst = new Map<string, number>();
    for (const [f, pool] of organicPools.entries()) {
      const { model } = trainPromptModel(examples((name, r) => name !== pool && half(r, true)), { version: `without-${pool}`, trainedOn: '', command: '' }, { featuresOf });
      const nats = evidenceOf(traffic, { model: withFeatures(model, featuresOf), params: input.params });
      const top = [...nats].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([id, x]) => `${archetype.get(id)} ${x.toFixed(1)}`);
      log(`calibration ${f + 1}/${organicPools.length}: ${nats.size} organic accounts, ${pool} unseen; highest: ${top.join(', ')}`);
      for (const [id, x] of nats) worst.set(id, Math.max(worst.get(id) ?? 0, x));
    }
    const reference = [...worst.values()];
    const { file, model } = trainPromptModel(examples(() => true), { version: input.version, trainedOn: input.trainedOn, command: input.command, pools: [...input.pools.keys()].sort() }, { featuresOf });
    const calibration = calibrate(reference, {
      id: `${input.version}-organic-unseen`,
      source: `${reference.length} organic accounts of held-out prompts, each at its highest evidence under ${organicPools.length} models that each never saw one of the ${organicPools.length} organic sources (seed ${input.seed})`,
      targets: input.params.calibration,
    });
    return { file, model, calibration };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Each account's evidence in nats, scored the way the detector scores. */
export function evidenceOf(traffic: ClassifiedTraffic, d: { model: PromptModel; params: DetectionParams }): Map<string, number> {
  const detector = { ...d, calibration: UNCALIBRATED };
  return new Map([...buildProfiles(traffic, detector)].map(([id, p]) => [id, scoreProfile(p, detector).evidence.nats]));
}
