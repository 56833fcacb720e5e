/**
 * npm run scan -- --input traffic.jsonl --out scores.jsonl [--calibration models/calibration.json]
 * Scores every account of a traffic file in-process (no Redis), with the same domain code as the
 * service: one output line per account, highest score first.
 */
import { isFlagged, scoreProfile } from '../scoring/score.js';
import { buildProfiles, classifyTraffic } from '../scoring/traffic.js';
import { parseArgs } from './args.js';
import { progress, readSamples, writeJsonl } from './jsonl.js';
import { DEFAULT_CALIBRATION, DEFAULT_MODEL, DEFAULT_MODELS_DIR, DEFAULT_TAXONOMY, loadCalibrationFile, loadScoring } from './scoring-setup.js';

const args = parseArgs(process.argv.slice(2), {
  input: '',
  out: '',
  calibration: DEFAULT_CALIBRATION,
  taxonomy: DEFAULT_TAXONOMY,
  models: DEFAULT_MODELS_DIR,
  model: DEFAULT_MODEL,
});
if (!args.input || !args.out) {
  process.stderr.write('usage: npm run scan -- --input traffic.jsonl --out scores.jsonl [--calibration FILE] [--taxonomy FILE]\n');
  process.exit(2);
}

const started = Date.now();
const calibration = await loadCalibrationFile(args.calibration);
const samples = await readSamples(args.input);
const deps = await loadScoring(args);
const traffic = await classifyTraffic(samples, deps, progress('scan'));
const rows = [...buildProfiles(traffic)].map(([accountId, profile]) => {
  const { score, tier, evidence } = scoreProfile(profile, calibration);
  return { accountId, score, flagged: isFlagged(tier), tier, clusterId: null, evidence };
});
rows.sort((a, b) => b.score - a.score);
await writeJsonl(args.out, rows);
const flagged = rows.filter((r) => r.flagged).length;
process.stderr.write(`scan: ${samples.length} prompts, ${rows.length} accounts, ${flagged} flagged, ${((Date.now() - started) / 1000).toFixed(1)}s -> ${args.out}\n`);
