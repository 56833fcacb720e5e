/**
 * npm run search:eval [-- --corpus 6000 --queries 400]
 *
 * Measures text search the way an analyst uses it: find a curriculum item when it arrives dressed
 * up. The corpus is curriculum and organic prompts from ../shared/data/prompts (drawn by a hash of
 * the text, so reruns draw the same); each query is one of its curriculum items wrapped the way the
 * scenarios' evasive campaigns wrap them (dev-v2-a and -b `wrappers`), or put through a benchmark or
 * batch-job template (their `templates`); the item itself is the one right answer. Reports recall@10
 * of vector-only, lexical-only (BM25) and hybrid (reciprocal rank fusion) search, per query kind,
 * with the same index classes the service uses. A second set asks for the other prompts of one
 * benchmark task (bbh and superni tasks: same instructions, other items) with one of them, and
 * reports precision@10: the share of the ten hits (the query itself left out) from the same task.
 * The last stdout line is JSON.
 */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { HnswVectorIndex } from '../adapters/hnsw/hnsw-index.js';
import { Bm25Index } from '../adapters/lexical/bm25-index.js';
import { SEARCH_MODES, SimilarPrompts, type SearchMode } from '../model/search/similar-prompts.js';
import { parseArgs } from './args.js';
import { readPools, readScenario } from './eval/pools.js';
import { MODEL_FILE_FLAGS, REPO, loadScoring } from './scoring-setup.js';

const args = parseArgs(process.argv.slice(2), {
  pools: path.resolve(REPO, '../shared/data/prompts'),
  scenarios: path.resolve(REPO, '../shared/scenarios'),
  corpus: '6000',
  queries: '400',
  ...MODEL_FILE_FLAGS,
});
const K = 10;
const rank = (s: string) => createHash('sha1').update(s).digest().readUInt32BE(0);
const log = (m: string) => process.stderr.write(`[search:eval] ${m}\n`);

// Wrappers and templates of both pool families' scenarios: phrasings the model never chose.
const wrappers: string[] = [];
const templates: string[] = [];
for (const f of ['dev-v2-a.json', 'dev-v2-b.json']) {
  const s = await readScenario(path.join(args.scenarios, f));
  for (const g of [...(s.campaigns ?? []), ...(s.organic ?? [])] as { wrappers?: string[]; templates?: string[] }[]) {
    wrappers.push(...(g.wrappers ?? []));
    templates.push(...(g.templates ?? []));
  }
}

const names = (await readdir(args.pools)).filter((f) => f.endsWith('.jsonl')).map((f) => f.slice(0, -'.jsonl'.length));
const pools = await readPools(args.pools, names);
const rows = [...new Map([...pools.values()].flat().map((r) => [r.text, r])).values()].filter((r) => r.text.length <= 2000);
const corpus = rows.sort((a, b) => rank(a.text) - rank(b.text)).slice(0, Number(args.corpus));
const curriculum = corpus.filter((r) => r.kind === 'curriculum');
const n = Math.min(Number(args.queries), curriculum.length);
const queries = curriculum.slice(0, n).flatMap((r, i) => [
  { kind: 'wrapped', text: wrappers[i % wrappers.length]!.replace('{x}', r.text), target: r.text },
  { kind: 'templated', text: templates[i % templates.length]!.replace('{x}', r.text), target: r.text },
]);
log(`${corpus.length} prompts (${curriculum.length} curriculum) from ${pools.size} pools; ${queries.length} queries; ${wrappers.length} wrappers, ${templates.length} templates`);

const { embedder } = await loadScoring(args);
const vectors = await embedder.embed(corpus.map((r) => r.text));
const prompts = new SimilarPrompts(HnswVectorIndex.create(embedder.dimension, { m: 16, efConstruction: 100, efSearch: 64 }), undefined, Bm25Index.create());
corpus.forEach((r, i) => prompts.add({ label: i, promptId: String(i), accountId: 'corpus', vector: vectors[i]!, text: r.text }));
const labelOf = new Map(corpus.map((r, i) => [r.text, i]));
const queryVectors = await embedder.embed(queries.map((q) => q.text));

const results: Record<string, Record<SearchMode, number>> = {};
for (const kind of ['wrapped', 'templated', 'all']) {
  results[kind] = {} as Record<SearchMode, number>;
  for (const mode of SEARCH_MODES) {
    const chosen = queries.map((q, i) => ({ q, v: queryVectors[i]! })).filter(({ q }) => kind === 'all' || q.kind === kind);
    const found = chosen.filter(({ q, v }) => prompts.searchText(q.text, v, { k: K }, mode).some((h) => h.label === labelOf.get(q.target))).length;
    results[kind][mode] = Math.round((found / chosen.length) * 1e4) / 1e4;
  }
}

// Same task: every prompt of the tasks with at least TASK_MIN items in the corpus is a query.
const TASK_MIN = 15;
const taskOf = new Map(corpus.map((r, i) => [i, r.category]));
const perTask = new Map<string, number[]>();
corpus.forEach((r, i) => r.category && /^(bbh_reasoning|superni_subset)\//.test(r.category) && perTask.set(r.category, [...(perTask.get(r.category) ?? []), i]));
const taskQueries = [...perTask.values()].filter((ls) => ls.length >= TASK_MIN).flatMap((ls) => ls.slice(0, 10));
const taskPrecision = {} as Record<SearchMode, number>;
for (const mode of SEARCH_MODES) {
  let same = 0;
  for (const i of taskQueries) {
    const hits = prompts.searchText(corpus[i]!.text, vectors[i]!, { k: K + 1 }, mode).filter((h) => h.label !== i).slice(0, K);
    same += hits.filter((h) => taskOf.get(h.label) === taskOf.get(i)).length / K;
  }
  taskPrecision[mode] = Math.round((same / taskQueries.length) * 1e4) / 1e4;
}
log(`${taskQueries.length} same-task queries over ${[...perTask.values()].filter((ls) => ls.length >= TASK_MIN).length} tasks`);

process.stdout.write(`\n| queries | vector | lexical (BM25) | hybrid (RRF) |\n| --- | --- | --- | --- |\n`);
for (const [kind, r] of Object.entries(results)) process.stdout.write(`| ${kind} (recall@${K}) | ${r.vector} | ${r.lexical} | ${r.hybrid} |\n`);
process.stdout.write(`| same task (precision@${K}) | ${taskPrecision.vector} | ${taskPrecision.lexical} | ${taskPrecision.hybrid} |\n`);
process.stdout.write(JSON.stringify({ corpus: corpus.length, queries: queries.length, k: K, recall: results, sameTask: { queries: taskQueries.length, precision: taskPrecision } }) + '\n');
