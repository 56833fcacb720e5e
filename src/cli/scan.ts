/**
 * npm run scan -- --input traffic.jsonl --out scores.jsonl [--calibration F] [--prompt-model F] [--params F]
 * Scores every account of a traffic file in-process (no Redis), with the same domain code as the
 * service: one output line per account, highest score first, with its campaign (clusterId and the
 * pooled evidence) when linked accounts together score as one.
 */
import { findCampaigns, linkPromptsOf } from '../model/campaigns/find-campaigns.js';
import { isFlagged } from '../model/scoring/score.js';
import { HnswVectorIndex } from '../adapters/hnsw/hnsw-index.js';
import { buildProfiles, classifyTraffic } from '../model/scoring/traffic.js';
import { parseArgs } from './args.js';
import { progress, readSamples, writeJsonl } from './jsonl.js';
import { MODEL_FILE_FLAGS, loadDetectorFiles, loadScoring } from './scoring-setup.js';

const args = parseArgs(process.argv.slice(2), {
  input: '',
  out: '',
  ...MODEL_FILE_FLAGS,
});
if (!args.input || !args.out) {
  process.stderr.write('usage: npm run scan -- --input traffic.jsonl --out scores.jsonl [--calibration FILE] [--prompt-model FILE] [--params FILE] [--taxonomy FILE]\n');
  process.exit(2);
}

const started = Date.now();
const detector = await loadDetectorFiles(args);
const samples = await readSamples(args.input);
const deps = await loadScoring(args);
const traffic = await classifyTraffic(samples, deps, progress('scan'));
const index = HnswVectorIndex.create(traffic.vectors[0]?.length ?? 1, detector.params.linkWeights.index);
const { campaigns, verdicts } = findCampaigns(linkPromptsOf(traffic), buildProfiles(traffic, detector), detector, index);
const rows = [...verdicts].map(([accountId, v]) => ({
  accountId,
  score: v.score,
  flagged: isFlagged(v.tier),
  tier: v.tier,
  clusterId: v.clusterId,
  evidence: { ...v.evidence, campaign: v.campaign },
}));
rows.sort((a, b) => b.score - a.score);
await writeJsonl(args.out, rows);
const flagged = rows.filter((r) => r.flagged).length;
process.stderr.write(`scan: ${samples.length} prompts, ${rows.length} accounts, ${flagged} flagged, ${campaigns.filter((c) => c.campaign).length} campaigns, ${((Date.now() - started) / 1000).toFixed(1)}s -> ${args.out}\n`);
