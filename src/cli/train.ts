/**
 * Fits the per-prompt curriculum model.
 *
 * From labelled public prompt pools (how models/prompt-model.json and models/calibration.json are
 * built; the exact command is recorded in the model file):
 *   npm run train -- --pools ../shared/data/prompts --scenario ../shared/scenarios/dev-v2.json
 * trains on every pool the scenario draws on and calibrates on organic traffic shaped like the
 * scenario's customers, from sources each fold's model did not see (src/cli/eval/fit-detector.ts).
 *
 * From a deployment's own labelled traffic (analyst verdicts: every prompt of an account labelled
 * extraction counts as curriculum, of one labelled organic as organic):
 *   npm run train -- --traffic traffic.jsonl --labels labels.jsonl [--out-model models/prompt-model.json]
 * then recalibrate on trusted organic traffic with `npm run calibrate`.
 */
import { loadDetectionParams } from '../adapters/files/model-files.js';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fitDetector } from './eval/fit-detector.js';
import { readPools, readScenario, scenarioPools } from './eval/pools.js';
import { trainPromptModel } from '../model/scoring/prompt-model.js';
import { parseArgs } from './args.js';
import { readJsonl, readSamples } from './jsonl.js';
import { classifyTraffic } from '../model/scoring/traffic.js';
import { DEFAULT_CALIBRATION, DEFAULT_MODEL, DEFAULT_MODELS_DIR, DEFAULT_PARAMS, DEFAULT_PROMPT_MODEL, DEFAULT_TAXONOMY, loadScoring, REPO } from './scoring-setup.js';

const args = parseArgs(process.argv.slice(2), {
  pools: '',
  scenario: '',
  traffic: '',
  labels: '',
  tools: path.resolve(REPO, '../shared/tools'),
  params: DEFAULT_PARAMS,
  taxonomy: DEFAULT_TAXONOMY,
  models: DEFAULT_MODELS_DIR,
  model: DEFAULT_MODEL,
  'out-model': DEFAULT_PROMPT_MODEL,
  'out-calibration': DEFAULT_CALIBRATION,
  seed: '1001',
  version: `prompts-${new Date().toISOString().slice(0, 10)}`,
});
const usage = 'usage: npm run train -- --pools DIR --scenario FILE  |  npm run train -- --traffic FILE --labels FILE\n';
const log = (msg: string) => process.stderr.write(`[train] ${msg}\n`);
const command = `npm run train -- ${process.argv.slice(2).join(' ')}`;

if (args.pools && args.scenario) {
  const scenario = await readScenario(args.scenario);
  const pools = await readPools(args.pools, [...scenarioPools(scenario)].sort());
  const deps = await loadScoring(args);
  const { file, calibration } = await fitDetector({
    classify: (s) => classifyTraffic(s, deps),
    pools,
    scenario,
    params: await loadDetectionParams(args.params),
    tool: path.join(args.tools, 'make-traffic.mjs'),
    seed: Number(args.seed),
    version: args.version,
    trainedOn: `${[...pools.values()].reduce((n, r) => n + r.length, 0)} prompts of ${pools.size} pools: ${[...pools.keys()].join(', ')}`,
    command,
    log,
  });
  await writeFile(args['out-model'], JSON.stringify(file) + '\n');
  await writeFile(args['out-calibration'], JSON.stringify(calibration, null, 2) + '\n');
  log(`${file.weights.length} weights -> ${args['out-model']}; review at ${calibration.nats.review.toFixed(2)} nats -> ${args['out-calibration']}`);
} else if (args.traffic && args.labels) {
  const labels = new Map<string, string>();
  for await (const { value } of readJsonl(args.labels)) {
    const l = value as { accountId?: unknown; label?: unknown };
    if (typeof l.accountId !== 'string' || (l.label !== 'organic' && l.label !== 'extraction')) throw new Error(`${args.labels}: each line needs accountId and label organic|extraction`);
    labels.set(l.accountId, l.label);
  }
  const samples = (await readSamples(args.traffic)).filter((s) => labels.has(s.accountId));
  if (!samples.length) throw new Error('no sample of a labelled account in the traffic');
  // Each account is a source: one prolific account must not define its class.
  const examples = samples.map((s) => ({ text: s.text, curriculum: labels.get(s.accountId) === 'extraction', source: s.accountId }));
  const { file } = trainPromptModel(examples, { version: args.version, trainedOn: `${samples.length} prompts of ${labels.size} labelled accounts in ${path.basename(args.traffic)}`, command }, {}, (e, loss) => log(`epoch ${e}: loss ${loss.toFixed(4)}`));
  await writeFile(args['out-model'], JSON.stringify(file) + '\n');
  log(`${file.weights.length} weights -> ${args['out-model']}; now recalibrate: npm run calibrate -- --input organic.jsonl --out ${path.relative(process.cwd(), args['out-calibration'])}`);
} else {
  process.stderr.write(usage);
  process.exit(2);
}
