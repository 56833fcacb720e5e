/**
 * npm run eval -- --scenario ../shared/scenarios/dev.json [--seed N] [--calibration-seed M] [--keep]
 * Builds labeled traffic from a scenario, scans it, and prints one table comparing distill-radar
 * with three baselines on the same traffic and run: per-account volume (what a rate limit sees),
 * PRADA and an MMD window test. Every detector's thresholds come from the same organic-only
 * reference traffic (the scenario without its campaigns, another seed); attack labels are used
 * only to measure.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mmdReference, mmdScores, pradaScores, volumeScores, type AccountVectors } from '../eval/baselines.js';
import { promptsToFirstFlag } from '../eval/first-flag.js';
import { scoreAccounts, type ScoreReport } from '../eval/score-accounts.js';
import { makeTraffic, readLabels, writeOrganicScenario } from '../eval/traffic-files.js';
import { calibrateLinkThreshold } from '../campaigns/calibrate-links.js';
import { DEFAULT_LINK_THRESHOLD, findCampaigns, LINK_INDEX_PARAMS, linkPromptsOf } from '../campaigns/find-campaigns.js';
import { linkAccounts } from '../campaigns/link-accounts.js';
import { calibrate, UNCALIBRATED } from '../scoring/calibration.js';
import type { ClassifiedPrompt } from '../scoring/profile.js';
import { isFlagged, scoreProfile } from '../scoring/score.js';
import { buildProfiles, classifyTraffic, type ClassifiedTraffic } from '../scoring/traffic.js';
import { HnswVectorIndex } from '../stores/hnsw-index.js';
import { parseArgs } from './args.js';
import { progress, readSamples, writeJsonl } from './jsonl.js';
import { DEFAULT_MODEL, DEFAULT_MODELS_DIR, DEFAULT_TAXONOMY, loadScoring, REPO } from './scoring-setup.js';

const args = parseArgs(process.argv.slice(2), {
  scenario: '',
  seed: '',
  'calibration-seed': '',
  tools: path.resolve(REPO, '../shared/tools'),
  pools: path.resolve(REPO, '../shared/data/prompts'),
  taxonomy: DEFAULT_TAXONOMY,
  models: DEFAULT_MODELS_DIR,
  model: DEFAULT_MODEL,
  keep: false,
});
if (!args.scenario) {
  process.stderr.write('usage: npm run eval -- --scenario ../shared/scenarios/dev.json [--seed N] [--calibration-seed M] [--keep]\n');
  process.exit(2);
}
const seed = args.seed === '' ? undefined : Number(args.seed);
const calibrationSeed = args['calibration-seed'] === '' ? (seed ?? 0) + 1000 : Number(args['calibration-seed']);
const log = (msg: string) => process.stderr.write(`[eval] ${msg}\n`);
/** Organic reference accounts allowed an edge over the link threshold (templated batch jobs share templates). */
const ORGANIC_LINKED_SHARE = 0.01;

const dir = await mkdtemp(path.join(tmpdir(), 'distill-radar-eval-'));
const evalDir = path.join(dir, 'traffic');
const organicDir = path.join(dir, 'organic');
try {
  const tool = path.join(args.tools, 'make-traffic.mjs');
  const organicScenario = path.join(dir, 'organic-scenario.json');
  await writeOrganicScenario(args.scenario, organicScenario);
  await Promise.all([
    makeTraffic({ tool, scenario: args.scenario, pools: args.pools, outDir: evalDir, ...(seed === undefined ? {} : { seed }) }),
    makeTraffic({ tool, scenario: organicScenario, pools: args.pools, outDir: organicDir, seed: calibrationSeed }),
  ]);
  log(`traffic in ${dir} (seed ${seed ?? 'scenario default'}, organic reference seed ${calibrationSeed})`);

  const deps = await loadScoring(args);
  const organic = await classifyTraffic(await readSamples(path.join(organicDir, 'traffic.jsonl')), deps, progress('organic reference'));
  const traffic = await classifyTraffic(await readSamples(path.join(evalDir, 'traffic.jsonl')), deps, progress('eval traffic'));

  const radarCalibration = calibrate(
    [...buildProfiles(organic).values()].map((p) => scoreProfile(p, UNCALIBRATED).score),
    { id: `organic-seed-${calibrationSeed}`, source: organicDir },
  );
  const profiles = buildProfiles(traffic);
  const radarFile = path.join(dir, 'distill-radar.jsonl');
  const linkIndex = () => HnswVectorIndex.create(traffic.vectors[0]?.length ?? 1, LINK_INDEX_PARAMS);
  const organicEdges = linkAccounts(linkPromptsOf(organic), linkIndex());
  const linkThreshold = calibrateLinkThreshold(organicEdges, buildProfiles(organic).size, ORGANIC_LINKED_SHARE, DEFAULT_LINK_THRESHOLD);
  const t0 = Date.now();
  const { campaigns, verdicts } = findCampaigns(linkPromptsOf(traffic), profiles, radarCalibration, linkIndex(), linkThreshold);
  log(`campaigns: ${campaigns.filter((c) => c.campaign).length} of ${campaigns.length} clusters, link threshold ${linkThreshold.toFixed(3)}, ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  await writeJsonl(radarFile, [...verdicts].map(([accountId, v]) => ({ accountId, score: v.score, flagged: isFlagged(v.tier), tier: v.tier, clusterId: v.clusterId })));

  const organicVectors = byAccount(organic);
  const trafficVectors = byAccount(traffic);
  const reference = mmdReference(organic.vectors);
  const baselines: [string, (a: AccountVectors) => Map<string, number>][] = [
    ['prompt volume (rate limit)', volumeScores],
    ['PRADA (Shapiro-Wilk)', pradaScores],
    ['MMD window vs organic', (a) => mmdScores(a, reference)],
  ];
  const reports: [string, ScoreReport][] = [];
  const labelsFile = path.join(evalDir, 'labels.jsonl');
  const scoreTool = path.join(args.tools, 'score-accounts.mjs');
  reports.push(['distill-radar', await scoreAccounts(scoreTool, labelsFile, radarFile)]);
  for (const [name, fn] of baselines) {
    const t0 = Date.now();
    const review = calibrate([...fn(organicVectors).values()], { id: name, source: organicDir }).thresholds.review;
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.jsonl`);
    await writeJsonl(file, [...fn(trafficVectors)].map(([accountId, score]) => ({ accountId, score, flagged: score >= review })));
    reports.push([name, await scoreAccounts(scoreTool, labelsFile, file)]);
    log(`${name}: ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }

  const labels = await readLabels(evalDir);
  process.stdout.write(table(reports, labels.map((l) => ({ archetype: l.archetype, label: l.label }))));
  const radar = reports[0]![1];
  const fleet = radar.perArchetype['low-and-slow-fleet'];
  process.stdout.write(
    `\nCampaigns (distill-radar): pair precision ${radar.campaignPairs?.precision.toFixed(4) ?? '-'}, pair recall ${radar.campaignPairs?.recall.toFixed(4) ?? '-'}` +
      (fleet ? `, low-and-slow fleet recall ${(fleet.flagged / fleet.accounts).toFixed(4)} (${fleet.flagged}/${fleet.accounts})` : '') +
      `; edge threshold ${linkThreshold.toFixed(3)} from the organic reference.\n`,
  );
  process.stdout.write(`\nThresholds from ${radarCalibration.organicAccounts} organic reference accounts (seed ${calibrationSeed}); review target ${radarCalibration.targets.review * 100}% of organic accounts.\n`);

  const prompts = promptsByAccount(traffic);
  const firstFlag = new Map<string, (number | null)[]>();
  for (const l of labels.filter((x) => x.label === 'extraction')) {
    const list = firstFlag.get(l.archetype) ?? [];
    list.push(promptsToFirstFlag(prompts.get(l.accountId) ?? [], radarCalibration));
    firstFlag.set(l.archetype, list);
  }
  process.stdout.write('\nPrompts an extraction account sends before distill-radar first flags it (review or block):\n\n');
  process.stdout.write('| archetype | accounts | flagged | median | p90 | of median account size |\n|---|---|---|---|---|---|\n');
  const all: number[] = [];
  for (const [archetype, xs] of firstFlag) {
    const hit = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
    all.push(...hit);
    const sizes = labels.filter((l) => l.archetype === archetype).map((l) => l.prompts).sort((a, b) => a - b);
    process.stdout.write(`| ${archetype} | ${xs.length} | ${hit.length} | ${quantile(hit, 0.5)} | ${quantile(hit, 0.9)} | ${quantile(sizes, 0.5)} |\n`);
  }
  all.sort((a, b) => a - b);
  process.stdout.write(`| all | ${[...firstFlag.values()].flat().length} | ${all.length} | ${quantile(all, 0.5)} | ${quantile(all, 0.9)} | |\n`);
} finally {
  if (args.keep) log(`kept ${dir}`);
  else await rm(dir, { recursive: true, force: true });
}

function byAccount(t: ClassifiedTraffic): AccountVectors {
  const out: AccountVectors = new Map();
  t.samples.forEach((s, i) => {
    const list = out.get(s.accountId);
    if (list) list.push(t.vectors[i]!);
    else out.set(s.accountId, [t.vectors[i]!]);
  });
  return out;
}

function promptsByAccount(t: ClassifiedTraffic): Map<string, ClassifiedPrompt[]> {
  const out = new Map<string, ClassifiedPrompt[]>();
  t.samples.forEach((s, i) => {
    const p = { ...t.classes[i]!, promptId: s.promptId, ts: s.ts, text: s.text };
    const list = out.get(s.accountId);
    if (list) list.push(p);
    else out.set(s.accountId, [p]);
  });
  return out;
}

function quantile(sorted: readonly number[], q: number): string {
  if (!sorted.length) return '-';
  return String(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
}

function table(reports: [string, ScoreReport][], labels: { archetype: string; label: string }[]): string {
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
    ...archetypes.map(([a, l]) => {
      const x = r.perArchetype[a];
      if (!x) return '-';
      return l === 'extraction' ? `${pct(x.flagged / x.accounts)} (${x.flagged}/${x.accounts})` : `${x.flagged}/${x.accounts}`;
    }),
  ]);
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n') + '\n';
}
