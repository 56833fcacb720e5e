/**
 * npm run eval -- --scenario ../shared/scenarios/dev-v2.json [--seed N] [--keep]
 * npm run eval -- --cross ../shared/scenarios/dev-v2-a.json ../shared/scenarios/dev-v2-b.json
 *
 * Builds labelled traffic, fits the detector on data that shares no prompt text with it, scans it,
 * and prints one table comparing distill-radar with three baselines on the same traffic in the same
 * run: per-account volume (what a rate limit sees), PRADA and an MMD window test.
 *
 * Fitting (src/cli/eval/fit-detector.ts): the prompt model trains on the pools of the fitting scenario
 * with every text that occurs in the scored traffic removed, and calibrates on organic traffic from
 * sources its fold did not see. With --cross each scenario is fitted on the other's pool family,
 * both ways, and the summary keeps the worse direction of every figure. With --scenario, traffic
 * drawn from pools the shipped model learned from is scored by a detector fitted on those pools less
 * the scored texts; traffic from pools it never saw is scored by the shipped detector itself, as a
 * deployment would (`--detector fit|shipped` forces either). Attack labels only measure.
 * The last stdout line is one JSON object: {"worst": {...}, "directions": [...]}.
 */
import { loadDetectionParams } from '../adapters/files/model-files.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findCampaigns, linkPromptsOf } from '../model/campaigns/find-campaigns.js';
import { mmdReference, mmdScores, pradaScores, volumeScores, type AccountVectors } from './eval/baselines.js';
import { fitDetector } from './eval/fit-detector.js';
import { promptsToFirstFlag } from './eval/first-flag.js';
import { readPools, readScenario, scenarioPools, uncalibratedArchetypes, writeOrganicOnly, type Pools, type Scenario } from './eval/pools.js';
import { scoreAccounts, type ScoreReport } from './eval/score-accounts.js';
import { makeTraffic, readLabels, type TrafficLabel } from './eval/traffic-files.js';
import { calibrate } from '../model/scoring/calibration.js';
import type { Detector } from '../model/scoring/detector.js';
import type { ClassifiedPrompt } from '../model/scoring/profile.js';
import { isFlagged } from '../model/scoring/score.js';
import { buildProfiles, classifyTraffic, type ClassifiedTraffic } from '../model/scoring/traffic.js';
import { HnswVectorIndex } from '../adapters/hnsw/hnsw-index.js';
import { parseArgs } from './args.js';
import { progress, readSamples, writeJsonl } from './jsonl.js';
import { MODEL_FILE_FLAGS, REPO, loadDetectorFiles, loadScoring } from './scoring-setup.js';

const argv = process.argv.slice(2);
const crossAt = argv.indexOf('--cross');
const cross = crossAt >= 0 ? argv.splice(crossAt, 3).slice(1) : null;
const args = parseArgs(argv, {
  scenario: '',
  seed: '',
  tools: path.resolve(REPO, '../shared/tools'),
  pools: path.resolve(REPO, '../shared/data/prompts'),
  ...MODEL_FILE_FLAGS,
  detector: 'auto',
  keep: false,
});
if ((!args.scenario && !cross) || (cross && cross.length !== 2) || !['auto', 'fit', 'shipped'].includes(args.detector)) {
  process.stderr.write('usage: npm run eval -- --scenario FILE [--seed N] [--detector auto|fit|shipped] | --cross FILE_A FILE_B [--seed N]\n');
  process.exit(2);
}
const seed = args.seed === '' ? undefined : Number(args.seed);
const log = (msg: string) => process.stderr.write(`[eval] ${msg}\n`);
/** Fewer organic reference accounts than this, and a 0.5% target rests on a handful of them. */
const MIN_REFERENCE = 500;
const out = (s: string) => process.stdout.write(s);

const deps = await loadScoring(args);
const params = await loadDetectionParams(args.params);
const dir = await mkdtemp(path.join(tmpdir(), 'distill-radar-eval-'));
try {
  const directions = cross
    ? [
        { fit: cross[0]!, scored: cross[1]! },
        { fit: cross[1]!, scored: cross[0]! },
      ]
    : [{ fit: args.scenario, scored: args.scenario }];
  const summaries: Summary[] = [];
  for (const [i, d] of directions.entries()) {
    const name = d.fit === d.scored ? path.basename(d.scored, '.json') : `fit ${path.basename(d.fit, '.json')} -> score ${path.basename(d.scored, '.json')}`;
    out(`\n## ${name}${seed === undefined ? '' : ` (seed ${seed})`}\n\n`);
    summaries.push(await runDirection(name, d.fit, d.scored, path.join(dir, `d${i}`)));
  }
  const worst = {
    auroc: Math.min(...summaries.map((s) => s.auroc)),
    flagFpr: Math.max(...summaries.map((s) => s.flagFpr)),
    flagRecall: Math.min(...summaries.map((s) => s.flagRecall)),
    maxOrganicArchetypeFlagRate: Math.max(...summaries.map((s) => s.maxOrganicArchetypeFlagRate)),
    minExtractionArchetypeRecall: Math.min(...summaries.map((s) => s.minExtractionArchetypeRecall)),
    campaignPairs: {
      precision: Math.min(...summaries.map((s) => s.campaignPairs.precision)),
      recall: Math.min(...summaries.map((s) => s.campaignPairs.recall)),
    },
  };
  if (summaries.length > 1) out(`\nWorse direction, figure by figure: ${JSON.stringify(worst)}\n`);
  out(JSON.stringify({ worst, directions: summaries }) + '\n');
} finally {
  if (args.keep) log(`kept ${dir}`);
  else await rm(dir, { recursive: true, force: true });
}

/**
 * The detector a direction is scored with: fitted on the fitting scenario's pools (less the scored
 * texts), or, for a single scenario none of whose pools the shipped model learned from, the
 * shipped detector as it is.
 */
async function detectorFor(fitScenario: Scenario, single: boolean, pools: Pools, calibrationSeed: number, tool: string, name: string): Promise<Detector & { fitted: boolean }> {
  if (single && args.detector !== 'fit') {
    const shipped = await loadDetectorFiles(args);
    const known = new Set(shipped.model.pools);
    if (args.detector === 'shipped' || ![...scenarioPools(fitScenario)].some((p) => known.has(p))) {
      log(`${name}: scoring with the shipped detector (${shipped.model.version}, ${shipped.calibration.id})`);
      return { ...shipped, fitted: false };
    }
  }
  const t0 = Date.now();
  const fitted = await fitDetector({ classify: (s) => classifyTraffic(s, deps), pools, scenario: fitScenario, params, tool, seed: calibrationSeed, version: `eval-${name}`, trainedOn: '', command: '', log });
  log(`${name}: fitted in ${((Date.now() - t0) / 1000).toFixed(1)}s; review at ${fitted.calibration.nats.review.toFixed(2)} nats over ${fitted.calibration.organicAccounts} organic accounts`);
  return { model: fitted.model, params, calibration: fitted.calibration, fitted: true };
}

interface Summary {
  name: string;
  auroc: number;
  flagFpr: number;
  flagRecall: number;
  maxOrganicArchetypeFlagRate: number;
  minExtractionArchetypeRecall: number;
  campaignPairs: { precision: number; recall: number };
  perArchetype: Record<string, string>;
  firstFlag: { median: string; p90: string };
}

async function runDirection(name: string, fitFile: string, scoredFile: string, work: string): Promise<Summary> {
  const tool = path.join(args.tools, 'make-traffic.mjs');
  const evalDir = path.join(work, 'traffic');
  await makeTraffic({ tool, scenario: scoredFile, pools: args.pools, outDir: evalDir, ...(seed === undefined ? {} : { seed }) });
  const samples = await readSamples(path.join(evalDir, 'traffic.jsonl'));
  const scoredTexts = new Set(samples.map((s) => s.text));
  const fitScenario = await readScenario(fitFile);
  // Nothing the detector is fitted or calibrated on shares a prompt text with the scored traffic.
  const pools: Pools = new Map(
    [...(await readPools(args.pools, [...scenarioPools(fitScenario)].sort()))].map(([k, rows]) => [k, rows.filter((r) => !scoredTexts.has(r.text))]),
  );
  const calibrationSeed = (seed ?? 0) + 1000;
  const detector = await detectorFor(fitScenario, fitFile === scoredFile, pools, calibrationSeed, tool, name);
  // Calibration draws on half of each pool's rows: a pool the scored traffic nearly used up leaves its customers out of it.
  const blind = detector.fitted ? uncalibratedArchetypes(fitScenario, pools) : [];

  const traffic = await classifyTraffic(samples, deps, progress('eval traffic'));
  const profiles = buildProfiles(traffic, detector);
  const index = HnswVectorIndex.create(traffic.vectors[0]?.length ?? 1, detector.params.linkWeights.index);
  const t1 = Date.now();
  const { campaigns, verdicts } = findCampaigns(linkPromptsOf(traffic), profiles, detector, index);
  log(`campaigns: ${campaigns.filter((c) => c.campaign).length} of ${campaigns.length} clusters, ${((Date.now() - t1) / 1000).toFixed(1)}s`);
  const radarFile = path.join(work, 'distill-radar.jsonl');
  await writeJsonl(radarFile, [...verdicts].map(([accountId, v]) => ({ accountId, score: v.score, flagged: isFlagged(v.tier), tier: v.tier, clusterId: v.clusterId })));

  // Baselines calibrate on organic traffic of the fitting family too, from the same filtered pools.
  const organicScenario = await writeOrganicOnly(fitScenario, pools, path.join(work, 'organic'));
  if (!organicScenario) throw new Error(`${fitFile}: no organic pool left to calibrate the baselines on`);
  await makeTraffic({ tool, scenario: organicScenario, pools: path.dirname(organicScenario), outDir: path.join(work, 'organic-traffic'), seed: calibrationSeed });
  const organic = await classifyTraffic(await readSamples(path.join(work, 'organic-traffic', 'traffic.jsonl')), deps, progress('baseline reference'));
  const organicVectors = byAccount(organic);
  const trafficVectors = byAccount(traffic);
  const reference = mmdReference(organic.vectors);
  const baselines: [string, (a: AccountVectors) => Map<string, number>][] = [
    ['prompt volume (rate limit)', volumeScores],
    ['PRADA (Shapiro-Wilk)', pradaScores],
    ['MMD window vs organic', (a) => mmdScores(a, reference)],
  ];
  const labelsFile = path.join(evalDir, 'labels.jsonl');
  const scoreTool = path.join(args.tools, 'score-accounts.mjs');
  const reports: [string, ScoreReport][] = [['distill-radar', await scoreAccounts(scoreTool, labelsFile, radarFile)]];
  for (const [baseline, fn] of baselines) {
    const review = calibrate([...fn(organicVectors).values()], { id: baseline, source: 'organic', targets: params.calibration }).nats.review;
    const file = path.join(work, `${baseline.replace(/\W+/g, '-')}.jsonl`);
    await writeJsonl(file, [...fn(trafficVectors)].map(([accountId, score]) => ({ accountId, score, flagged: score >= review })));
    reports.push([baseline, await scoreAccounts(scoreTool, labelsFile, file)]);
  }

  const labels = await readLabels(evalDir);
  out(table(reports, labels));
  const radar = reports[0]![1];
  out(`\nCampaign pairs (distill-radar): precision ${radar.campaignPairs?.precision.toFixed(4) ?? '-'}, recall ${radar.campaignPairs?.recall.toFixed(4) ?? '-'}; recall by campaign: ${pairRecallByCampaign(labels, verdicts)}.\n`);
  out(`${detector.fitted ? 'Fitted detector' : `Shipped detector (${detector.model.version})`}: thresholds from ${detector.calibration.organicAccounts} organic reference accounts (${detector.calibration.id}): review at ${detector.calibration.nats.review.toFixed(2)} nats, block at ${detector.calibration.nats.block.toFixed(2)}.\n`);
  if (detector.calibration.organicAccounts < MIN_REFERENCE) {
    out(`Only ${detector.calibration.organicAccounts} organic reference accounts: the scored traffic used up the organic pools, so these thresholds rest on too little (at least ${MIN_REFERENCE} wanted).\n`);
  }
  if (blind.length) out(`Organic archetypes neither trained nor calibrated on, their pools used up by the scored traffic: ${blind.join(', ')}.\n`);
  const own = (l: TrafficLabel) => ({ a: l.archetype, nats: verdicts.get(l.accountId)?.evidence.nats ?? 0 });
  const closest = (label: string, dir: 1 | -1) => labels.filter((l) => l.label === label).map(own).sort((x, y) => dir * (x.nats - y.nats)).slice(0, 6).map((x) => `${x.a} ${x.nats.toFixed(1)}`).join(', ');
  out(`Closest calls, own evidence in nats: highest organic ${closest('organic', -1)}; lowest extraction ${closest('extraction', 1)}.\n`);

  const byAcct = promptsByAccount(traffic);
  const firstFlag = new Map<string, (number | null)[]>();
  for (const l of labels.filter((x) => x.label === 'extraction')) {
    const list = firstFlag.get(l.archetype) ?? [];
    list.push(promptsToFirstFlag(byAcct.get(l.accountId) ?? [], detector));
    firstFlag.set(l.archetype, list);
  }
  out('\nPrompts an extraction account sends before its own evidence first flags it (review or block):\n\n');
  out('| archetype | accounts | flagged on own evidence | median | p90 | median account size |\n|---|---|---|---|---|---|\n');
  const all: number[] = [];
  for (const [archetype, xs] of firstFlag) {
    const hit = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
    all.push(...hit);
    const sizes = labels.filter((l) => l.archetype === archetype).map((l) => l.prompts).sort((a, b) => a - b);
    out(`| ${archetype} | ${xs.length} | ${hit.length} | ${quantile(hit, 0.5)} | ${quantile(hit, 0.9)} | ${quantile(sizes, 0.5)} |\n`);
  }
  all.sort((a, b) => a - b);
  out(`| all | ${[...firstFlag.values()].flat().length} | ${all.length} | ${quantile(all, 0.5)} | ${quantile(all, 0.9)} | |\n`);

  const rates = Object.entries(radar.perArchetype).map(([a, x]) => ({ a, label: x.label, rate: x.flagged / x.accounts, text: `${x.flagged}/${x.accounts}` }));
  return {
    name,
    auroc: radar.auroc,
    flagFpr: radar.flags.falsePositiveRate,
    flagRecall: radar.flags.recall,
    maxOrganicArchetypeFlagRate: Math.max(...rates.filter((r) => r.label === 'organic').map((r) => r.rate)),
    minExtractionArchetypeRecall: Math.min(...rates.filter((r) => r.label === 'extraction').map((r) => r.rate)),
    campaignPairs: radar.campaignPairs ?? { precision: 0, recall: 0 },
    perArchetype: Object.fromEntries(rates.map((r) => [r.a, r.text])),
    firstFlag: { median: quantile(all, 0.5), p90: quantile(all, 0.9) },
  };
}

/** Pairs of one campaign's accounts that share a clusterId, of all its pairs: where linking stands per campaign. */
function pairRecallByCampaign(labels: TrafficLabel[], verdicts: ReadonlyMap<string, { clusterId: string | null }>): string {
  const by = new Map<string, Map<string, number>>();
  for (const l of labels) {
    if (!l.campaign) continue;
    const clusters = by.get(l.campaign) ?? new Map<string, number>();
    const id = verdicts.get(l.accountId)?.clusterId ?? `none:${l.accountId}`;
    clusters.set(id, (clusters.get(id) ?? 0) + 1);
    by.set(l.campaign, clusters);
  }
  const pairs = (n: number) => (n * (n - 1)) / 2;
  return [...by]
    .map(([c, clusters]) => {
      const n = [...clusters.values()].reduce((a, b) => a + b, 0);
      const together = [...clusters].filter(([id]) => !id.startsWith('none:')).reduce((a, [, k]) => a + pairs(k), 0);
      return `${c} ${together}/${pairs(n)}`;
    })
    .join(', ');
}

function byAccount(t: ClassifiedTraffic): AccountVectors {
  const m: AccountVectors = new Map();
  t.samples.forEach((s, i) => {
    const list = m.get(s.accountId);
    if (list) list.push(t.vectors[i]!);
    else m.set(s.accountId, [t.vectors[i]!]);
  });
  return m;
}

function promptsByAccount(t: ClassifiedTraffic): Map<string, ClassifiedPrompt[]> {
  const m = new Map<string, ClassifiedPrompt[]>();
  t.samples.forEach((s, i) => {
    const p = { ...t.classes[i]!, promptId: s.promptId, ts: s.ts, text: s.text };
    const list = m.get(s.accountId);
    if (list) list.push(p);
    else m.set(s.accountId, [p]);
  });
  return m;
}

function quantile(sorted: readonly number[], q: number): string {
  if (!sorted.length) return '-';
  return String(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
}

function table(reports: [string, ScoreReport][], labels: TrafficLabel[]): string {
  const archetypes = [...new Map(labels.map((l) => [l.archetype, l.label])).entries()].sort((a, b) =>
    a[1] === b[1] ? (a[0] < b[0] ? -1 : 1) : a[1] === 'extraction' ? -1 : 1,
  );
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const head = ['detector', 'AUROC', 'recall @0.1% FPR', 'recall @1% FPR', 'flag recall', 'flag FPR', ...archetypes.map(([a, l]) => `${a} (${l === 'extraction' ? 'recall' : 'flagged'})`)];
  const rows = reports.map(([name, r]) => [
    name,
    r.auroc.toFixed(4),
    pct(r.recallAtFpr0_1pct),
    pct(r.recallAtFpr1pct),
    pct(r.flags.recall),
    pct(r.flags.falsePositiveRate),
    ...archetypes.map(([a]) => {
      const x = r.perArchetype[a];
      return x ? `${x.flagged}/${x.accounts}` : '-';
    }),
  ]);
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n') + '\n';
}
