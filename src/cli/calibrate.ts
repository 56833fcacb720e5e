/**
 * npm run calibrate -- --input organic.jsonl --out models/calibration.json [--review 0.005] [--watch 0.02] [--block 0.001]
 * Sets the tier thresholds from traffic believed organic (e.g. a week of established, paying
 * customers with any account already under investigation removed): each tier then flags at most its
 * target share of those accounts.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calibrate, UNCALIBRATED } from '../scoring/calibration.js';
import { scoreProfile } from '../scoring/score.js';
import { buildProfiles, classifyTraffic } from '../scoring/traffic.js';
import { parseArgs } from './args.js';
import { progress, readSamples } from './jsonl.js';
import { DEFAULT_MODEL, DEFAULT_MODELS_DIR, DEFAULT_TAXONOMY, loadScoring } from './scoring-setup.js';

const args = parseArgs(process.argv.slice(2), {
  input: '',
  out: '',
  id: '',
  watch: '0.02',
  review: '0.005',
  block: '0.001',
  confidence: '0.9',
  'min-prompts': '10',
  taxonomy: DEFAULT_TAXONOMY,
  models: DEFAULT_MODELS_DIR,
  model: DEFAULT_MODEL,
});
if (!args.input || !args.out) {
  process.stderr.write('usage: npm run calibrate -- --input organic.jsonl --out calibration.json [--review 0.005]\n');
  process.exit(2);
}

const samples = await readSamples(args.input);
const traffic = await classifyTraffic(samples, await loadScoring(args), progress('calibrate'));
const scores = [...buildProfiles(traffic).values()].map((p) => scoreProfile(p, UNCALIBRATED).score);
const calibration = calibrate(scores, {
  id: args.id || `${path.basename(args.input)}@${new Date().toISOString().slice(0, 10)}`,
  source: `${samples.length} prompts from ${scores.length} organic accounts in ${path.basename(args.input)}`,
  targets: { watch: Number(args.watch), review: Number(args.review), block: Number(args.block) },
  confidence: Number(args.confidence),
  minPrompts: Number(args['min-prompts']),
});
await writeFile(args.out, JSON.stringify(calibration, null, 2) + '\n');
process.stderr.write(`calibrate: ${JSON.stringify(calibration.thresholds)} -> ${args.out}\n`);
