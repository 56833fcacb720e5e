/**
 * npx tsx src/cli/classify-eval.ts [--pools ../shared/data/prompts] [--per-set 2000]
 * Accuracy of the taxonomy classifier on public prompt sets whose area is obvious from the set.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { OTHER } from '../model/scoring/taxonomy.js';
import { parseArgs } from './args.js';
import { DEFAULT_MODEL, DEFAULT_MODELS_DIR, DEFAULT_TAXONOMY, loadScoring, REPO } from './scoring-setup.js';

const args = parseArgs(process.argv.slice(2), {
  pools: path.resolve(REPO, '../shared/data/prompts'),
  'per-set': '2000',
  taxonomy: DEFAULT_TAXONOMY,
  models: DEFAULT_MODELS_DIR,
  model: DEFAULT_MODEL,
});

/** Set -> the area (and, where the set pins it down, the sub-area) every prompt of it belongs to. */
const EXPECTED: Record<string, { area: string; subArea?: string }> = {
  gsm8k: { area: 'math', subArea: 'math.word_problems' },
  code_alpaca: { area: 'swe' },
  mbpp: { area: 'swe' },
  humaneval: { area: 'swe' },
  conala_stackoverflow: { area: 'swe' },
  bfcl_live: { area: 'agentic' },
  bfcl_synthetic: { area: 'agentic' },
  gorilla_apibench: { area: 'agentic' },
  nq_open: { area: 'knowledge' },
};

const { embedder, classifier } = await loadScoring(args);
const perSet = Number(args['per-set']);
const rows: string[] = [];
let correct = 0;
let total = 0;
const macro: number[] = [];
for (const [set, want] of Object.entries(EXPECTED)) {
  const texts = (await readFile(path.join(args.pools, `${set}.jsonl`), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .slice(0, perSet)
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const vectors = await embedder.embed(texts);
  const got = vectors.map((v, i) => classifier.classify(v, texts[i]!));
  const ok = got.filter((c) => c.area === want.area).length;
  const subOk = want.subArea ? got.filter((c) => c.subArea === want.subArea).length : null;
  const rejected = got.filter((c) => c.subArea === OTHER).length;
  const confusions = new Map<string, number>();
  for (const c of got) if (c.area !== want.area) confusions.set(c.area, (confusions.get(c.area) ?? 0) + 1);
  const top = [...confusions].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([a, n]) => `${a} ${pct(n / got.length)}`).join(', ');
  rows.push(`| ${set} | ${want.area} | ${got.length} | ${pct(ok / got.length)} | ${subOk === null ? '' : `${want.subArea} ${pct(subOk / got.length)}`} | ${pct(rejected / got.length)} | ${top} |`);
  correct += ok;
  total += got.length;
  macro.push(ok / got.length);
}
process.stdout.write(`Taxonomy ${classifier.taxonomyVersion}, ${classifier.modelId}\n\n`);
process.stdout.write('| set | expected area | prompts | area accuracy | sub-area accuracy | rejected to other | main confusions |\n|---|---|---|---|---|---|---|\n');
process.stdout.write(rows.join('\n') + '\n');
process.stdout.write(`| all | | ${total} | ${pct(correct / total)} (micro), ${pct(macro.reduce((a, b) => a + b, 0) / macro.length)} (macro) | | | |\n`);

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
