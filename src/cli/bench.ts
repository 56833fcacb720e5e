/**
 * npm run bench -- --prompts 20000 [--batch 500] [--concurrency 4] [--searches 1000] [--synthetic]
 *                   [--replicas 1] [--search-clients 1]
 * Measures, in one run over the same prompts: the embedder alone, hnswlib-node alone (and its
 * recall@10 against exact search), and the whole pipeline (HTTP in -> queue -> worker -> Redis ->
 * index log -> searchable) in a child service process, with search latency while ingest runs and
 * after, and the memory it takes: the service's RSS and what Redis grew by, separately. With
 * `--replicas N`, N-1 search replicas (ROLE=api, each its own index) follow the same log, and the
 * searches (from `--search-clients` concurrent clients) go round-robin over all of them.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRedis, masters } from '../adapters/redis/client.js';
import { PostgresPromptArchive } from '../adapters/postgres/postgres-prompt-archive.js';
import { loadConfig, redisLayout } from '../runtime/config.js';
import { createTransformersEmbedder } from '../adapters/transformers/transformers-embedder.js';
import { HnswVectorIndex } from '../adapters/hnsw/hnsw-index.js';
import { deletePrefix, redisKeys, sumOverShards } from '../adapters/redis/schema.js';
import { parseArgs } from './args.js';
import { freePort, percentile, startLocalService } from './local.js';

const args = parseArgs(process.argv.slice(2), {
  prompts: '20000',
  batch: '500',
  concurrency: '4',
  searches: '1000',
  pools: path.resolve('../shared/data/prompts'),
  synthetic: false,
  replicas: '1',
  'search-clients': '1',
  'index-shards': '1',
});
const N = Number(args.prompts);
const config = loadConfig();
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

async function loadTexts(): Promise<string[]> {
  const texts: string[] = [];
  if (!args.synthetic) {
    try {
      for (const f of (await readdir(args.pools)).filter((f) => f.endsWith('.jsonl')).sort()) {
        for (const line of (await readFile(path.join(args.pools, f), 'utf8')).split('\n')) {
          if (line.trim()) texts.push((JSON.parse(line) as { text: string }).text);
        }
      }
    } catch {
      log(`no prompt pools at ${args.pools}; using synthetic text`);
    }
  }
  // Deterministic shuffle, then top up with synthetic variations when more prompts are asked for.
  let seed = 42;
  const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let i = texts.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [texts[i], texts[j]] = [texts[j]!, texts[i]!];
  }
  const out = texts.slice(0, N).map((t) => t.slice(0, config.MAX_TEXT_CHARS));
  for (let i = out.length; i < N; i++) out.push(synthetic(rand));
  return out;
}

const VERBS = ['write', 'explain', 'debug', 'summarise', 'compare', 'design', 'optimise', 'test', 'translate', 'plan', 'prove', 'estimate'];
const OBJECTS = ['a python function', 'the sql query', 'this essay', 'a kubernetes deployment', 'the regex', 'a recipe', 'the proof', 'a marketing email', 'the api client', 'a unit test', 'the budget', 'a travel plan', 'the sorting algorithm', 'a short story', 'the dockerfile'];
const TOPICS = ['for parsing dates', 'about climate change', 'for a small bakery', 'that handles errors', 'with step by step reasoning', 'for beginners', 'in under 100 words', 'using async await', 'for a job interview', 'about the french revolution', 'with edge cases', 'for a birthday party'];

function synthetic(rand: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  return `${pick(VERBS)} ${pick(OBJECTS)} ${pick(TOPICS)} ${pick(TOPICS)} (${Math.floor(rand() * 1e6)})`;
}

async function main(): Promise<void> {
  const texts = await loadTexts();
  log(`${texts.length} prompts`);

  const embedder = await createTransformersEmbedder({ modelsDir: config.MODELS_DIR, model: config.EMBED_MODEL, batchSize: config.EMBED_BATCH_SIZE });
  let t = performance.now();
  const vectors: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += 1000) vectors.push(...(await embedder.embed(texts.slice(i, i + 1000))));
  const embedPerS = texts.length / ((performance.now() - t) / 1000);
  log(`embedder alone: ${embedPerS.toFixed(0)} prompts/s`);

  const raw = HnswVectorIndex.create(embedder.dimension, { m: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION, efSearch: config.HNSW_EF_SEARCH });
  t = performance.now();
  vectors.forEach((v, i) => raw.add(i + 1, v));
  const rawPerS = vectors.length / ((performance.now() - t) / 1000);
  log(`hnswlib-node alone: ${rawPerS.toFixed(0)} inserts/s`);
  const recallAt10 = recall(raw, vectors, 200);
  log(`hnsw recall@10 against exact search: ${recallAt10}`);
  vectors.length = 0;

  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const redis = createRedis({ url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES }, {});
  // Summed over a cluster's masters.
  const redisUsed = async () => (await Promise.all(masters(redis).map(async (m) => Number(/used_memory:(\d+)/.exec(await m.info('memory'))?.[1] ?? NaN)))).reduce((a, b) => a + b, 0);
  const redisBefore = await redisUsed();
  // With ARCHIVE_URL the services keep prompt bodies in PostgreSQL: on disk, reported apart from RAM.
  const archive = config.ARCHIVE_URL ? await PostgresPromptArchive.open(config.ARCHIVE_URL, prefix) : undefined;
  const archiveBefore = (await archive?.bytes()) ?? 0;
  // Index shards each follow whole Redis shards: the store is split at least as many ways.
  const indexShards = Number(args['index-shards']);
  if (indexShards > 1 && Number(args.replicas) > 1) throw new Error('--index-shards and --replicas are measured one at a time');
  const layout = { ...redisLayout(config), shards: Math.max(indexShards, config.REDIS_SHARDS) };
  const keys = redisKeys(prefix, layout);
  const logLength = () => sumOverShards(keys, (k) => redis.xlen(k.vectorLog));
  const services: Awaited<ReturnType<typeof startLocalService>>[] = [];
  try {
    // Snapshots every SNAPSHOT_INTERVAL_S (60 s by default), as in production: they trim the index log.
    if (indexShards > 1) {
      // Shard 0 is also the router: it ingests, and its /v1/search asks every shard.
      const shardEnv = (i: number) => ({ KEY_PREFIX: prefix, REDIS_SHARDS: String(layout.shards), INDEX_SHARDS: String(indexShards), INDEX_SHARD: String(i) });
      const shards = [];
      for (let i = 1; i < indexShards; i++) shards.push(await startLocalService({ ...shardEnv(i), ROLE: 'api' }));
      const port = await freePort();
      const urls = [`http://127.0.0.1:${port}`, ...shards.map((x) => x.url)].join(',');
      services.push(await startLocalService({ ...shardEnv(0), ROLE: 'all', PORT: String(port), SEARCH_SHARD_URLS: urls }), ...shards);
    } else {
      services.push(await startLocalService({ ROLE: 'all', KEY_PREFIX: prefix }));
      for (let r = 1; r < Number(args.replicas); r++) services.push(await startLocalService({ ROLE: 'api', KEY_PREFIX: prefix }));
    }
    const url = services[0]!.url;
    // Replicas each serve searches; index shards are searched through the router alone.
    const searchUrls = indexShards > 1 ? [url] : services.map((x) => x.url);
    const sizeAt = async (at: string) => ((await (await fetch(`${at}/ready`)).json()) as { indexSize: number }).indexSize;
    const indexSize = async () => (indexShards > 1 ? (await Promise.all(services.map((x) => sizeAt(x.url)))).reduce((a, b) => a + b, 0) : sizeAt(url));

    const batch = Number(args.batch);
    const t0 = Date.UTC(2026, 4, 1);
    const bodies: string[] = [];
    for (let i = 0; i < texts.length; i += batch) {
      const samples = texts.slice(i, i + batch).map((text, j) => ({ accountId: `acct-${(i + j) % 1000}`, promptId: `p-${i + j}`, ts: t0 + (i + j) * 1000, text }));
      bodies.push(JSON.stringify({ samples }));
    }
    log(`posting ${bodies.length} batches of ${batch}`);
    t = performance.now();
    let next = 0;
    let accepted = 0;
    // One analyst searching while the prompts arrive: latency under ingest.
    let ingesting = true;
    const duringIngest: number[] = [];
    const searcher = (async () => {
      for (let i = 0; ingesting; i++) duringIngest.push(await timedSearch(searchUrls[i % searchUrls.length]!, texts[(i * 7919) % texts.length]!));
    })();
    await Promise.all(
      Array.from({ length: Number(args.concurrency) }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++]!;
          const res = await fetch(`${url}/v1/samples`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
          if (res.status !== 202) throw new Error(`POST /v1/samples answered ${res.status}: ${await res.text()}`);
          accepted += ((await res.json()) as { accepted: number }).accepted;
        }
      }),
    );
    const postedS = (performance.now() - t) / 1000;
    let last = -1;
    for (;;) {
      const size = await indexSize();
      if (size >= texts.length) break;
      if (size !== last) log(`searchable: ${size}/${texts.length}`);
      last = size;
      await new Promise((r) => setTimeout(r, 100));
    }
    const e2eS = (performance.now() - t) / 1000;
    ingesting = false;
    await searcher;
    duringIngest.sort((a, b) => a - b);
    const e2ePerS = texts.length / e2eS;
    log(`end to end: ${e2ePerS.toFixed(0)} prompts/s (all accepted in ${postedS.toFixed(1)} s, searchable after ${e2eS.toFixed(1)} s)`);

    // Scores trail indexing by a sweep or two; search is measured once the embed thread is idle again.
    while ((await sumOverShards(keys, (k) => redis.scard(k.dirty))) > 0) await new Promise((r) => setTimeout(r, 100));
    const scoredS = (performance.now() - t) / 1000;
    log(`every account scored after ${scoredS.toFixed(1)} s`);

    for (const replica of searchUrls.slice(1)) while ((await sizeAt(replica)) < texts.length) await new Promise((r) => setTimeout(r, 200));
    const latencies: number[] = [];
    const searches = Number(args.searches);
    let nextSearch = 0;
    const searchStart = performance.now();
    await Promise.all(
      Array.from({ length: Number(args['search-clients']) }, async () => {
        for (let i = nextSearch++; i < searches; i = nextSearch++) latencies.push(await timedSearch(searchUrls[i % searchUrls.length]!, texts[(i * 7919) % texts.length]!));
      }),
    );
    const searchesPerS = searches / ((performance.now() - searchStart) / 1000);
    latencies.sort((a, b) => a - b);
    const rssOf = async (at: string) => Number(/dr_process_resident_memory_bytes (\d+)/.exec(await (await fetch(`${at}/metrics`)).text())?.[1] ?? NaN);
    const rss = await rssOf(url);
    const replicaRss = await Promise.all(services.slice(1).map((x) => rssOf(x.url)));
    // Each index shard alone (its /v1/search/shard), as a machine serving one shard would answer.
    const shardLatency: { p50: number; p99: number }[] = [];
    if (indexShards > 1) {
      for (const x of services) {
        const own: number[] = [];
        for (let i = 0; i < Math.min(searches, 500); i++) own.push(await timedSearch(x.url, texts[(i * 7919) % texts.length]!, '/v1/search/shard'));
        own.sort((a, b) => a - b);
        shardLatency.push({ p50: Number(percentile(own, 0.5).toFixed(2)), p99: Number(percentile(own, 0.99).toFixed(2)) });
      }
    }
    // Memory in steady state: once a snapshot has trimmed the index log (it holds every vector until then).
    for (const until = Date.now() + 120_000; (await logLength()) > texts.length / 100 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 500));
    const logLeft = await logLength();
    const redisGrew = (await redisUsed()) - redisBefore;
    const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
    const result = {
      prompts: texts.length,
      accepted,
      e2e_prompts_per_s: Math.round(e2ePerS),
      embed_prompts_per_s: Math.round(embedPerS),
      raw_hnsw_inserts_per_s: Math.round(rawPerS),
      e2e_vs_raw_insert: Number((e2ePerS / rawPerS).toFixed(3)),
      all_scored_after_s: Number(scoredS.toFixed(2)),
      replicas: indexShards > 1 ? 1 : services.length,
      redis_shards: layout.shards,
      index_shards: indexShards,
      ...(indexShards > 1 ? { shard_index_sizes: await Promise.all(services.map((x) => sizeAt(x.url))), shard_search_ms: shardLatency } : {}),
      search_clients: Number(args['search-clients']),
      searches_per_s: Math.round(searchesPerS),
      search_p50_ms: Number(percentile(latencies, 0.5).toFixed(2)),
      search_p99_ms: Number(percentile(latencies, 0.99).toFixed(2)),
      searches_during_ingest: duringIngest.length,
      search_during_ingest_p50_ms: Number(percentile(duringIngest, 0.5).toFixed(2)),
      search_during_ingest_p99_ms: Number(percentile(duringIngest, 0.99).toFixed(2)),
      hnsw_recall_at_10: recallAt10,
      index_size: await indexSize(),
      rss_mb: mb(rss),
      replica_rss_mb: replicaRss.map(mb),
      redis_used_memory_mb: mb(redisGrew),
      ...(archive ? { archive_disk_mb: mb((await archive.bytes()) - archiveBefore) } : {}),
      index_log_entries_left: logLeft,
      // Index shards hold parts of one index, so all their memory counts; replicas are copies.
      mb_per_million_prompts: Math.round((mb(rss) + (indexShards > 1 ? replicaRss.reduce((a, b) => a + mb(b), 0) : 0) + mb(redisGrew)) * (1e6 / texts.length)),
      model: embedder.modelId,
      hnsw: { m: config.HNSW_M, ef_construction: config.HNSW_EF_CONSTRUCTION, ef_search: config.HNSW_EF_SEARCH },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    for (const x of services) await x.stop();
    await deletePrefix(redis, prefix);
    await archive?.deleteAll();
    await archive?.close();
    redis.disconnect();
  }
}

async function timedSearch(url: string, text: string, route = '/v1/search'): Promise<number> {
  const s = performance.now();
  const res = await fetch(`${url}${route}?text=${encodeURIComponent(text.slice(0, 500))}&k=10`);
  await res.arrayBuffer();
  return performance.now() - s;
}

/**
 * Share of the exact 10 nearest neighbours (brute force) that the HNSW search returns, over
 * `queries` of the vectors. A hit as close as the exact 10th counts (templated prompts embed
 * identically, and any of the tied ones is a right answer).
 */
function recall(index: HnswVectorIndex, vectors: readonly Float32Array[], queries: number): number {
  const dot = (a: Float32Array, b: Float32Array) => {
    let s = 0;
    for (let d = 0; d < a.length; d++) s += a[d]! * b[d]!;
    return s;
  };
  let found = 0;
  let asked = 0;
  for (let q = 0; q < Math.min(queries, vectors.length); q++) {
    const query = vectors[(q * 7919) % vectors.length]!;
    // The exact 10 best similarities, kept sorted (a full sort per query is too slow at 1M).
    const best: number[] = [];
    for (const v of vectors) {
      const x = dot(v, query);
      if (best.length < 10 || x > best[best.length - 1]!) {
        best.splice(best.findIndex((b) => x > b) >>> 0, 0, x);
        if (best.length > 10) best.pop();
      }
    }
    const kth = best[best.length - 1]!;
    const hits = index.search(query, 10);
    found += hits.filter((h) => dot(vectors[h.label - 1]!, query) >= kth - 1e-5).length;
    asked += Math.min(10, vectors.length);
  }
  return Number((found / asked).toFixed(4));
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.message}\n`);
  process.exit(1);
});
