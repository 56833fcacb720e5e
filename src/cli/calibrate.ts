/**
 * npm run calibrate -- --input organic.jsonl --out models/calibration.json [--id NAME]
 * Sets what scores mean from traffic believed organic (e.g. a week of established, paying customers
 * with any account already under investigation removed): the evidence of each account becomes the
 * reference that scores are read against, and each tier flags at most its target share
 * (models/detection.json) of those accounts. The traffic must share no prompt text with what the
 * prompt model was trained on, or every account looks more organic than fresh customers will.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calibrate, UNCALIBRATED } from '../model/scoring/calibration.js';
import { scoreProfile } from '../model/scoring/score.js';
import { buildProfiles, classifyTraffic } from '../model/scoring/traffic.js';
import { parseArgs } from './args.js';
import { progress, readSamples } from './jsonl.js';
import { MODEL_FILE_FLAGS, loadDetectorFiles, loadScoring } from './scoring-setup.js';

const args = parseArgs(process.argv.slice(2), {
  input: '',
  out: '',
  id: '',
  ...MODEL_FILE_FLAGS,
});
if (!args.input || !args.out) {
  process.stderr.write('usage: npm run calibrate -- --input organic.jsonl --out calibration.json [--id NAME]\n');
  process.exit(2);
}

const detector = { ...(await loadDetectorFiles(args)), calibration: UNCALIBRATED };
const samples = await readSamples(args.input);
const traffic = await classifyTraffic(samples, await loadScoring(args), progress('calibrate'));
const nats = [...buildProfiles(traffic, detector).values()].map((p) => scoreProfile(p, detector).evidence.nats);
const calibration = calibrate(nats, {
  id: args.id || `${path.basename(args.input)}@${new Date().toISOString().slice(0, 10)}`,
  source: `${samples.length} prompts from ${nats.length} organic accounts in ${path.basename(args.input)}`,
  targets: detector.params.calibration,
});
await writeFile(args.out, JSON.stringify(calibration, null, 2) + '\n');
process.stderr.write(`calibrate: review at ${calibration.nats.review.toFixed(2)} nats, block at ${calibration.nats.block.toFixed(2)} -> ${args.out}\n`);
