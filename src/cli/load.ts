/**
 * npm run load -- [--clients 200] [--seconds 60] [--batch 100] [--max-requests 20000] [--rps 0] [--drain-seconds 600]
 *
 * Load test of the whole service on loopback: starts it as a child process (ROLE=all, its own
 * KEY_PREFIX and DATA_DIR, AUTH=keys with one generated ingest key), runs `--clients` concurrent
 * clients that POST `--batch`-sample batches until `--seconds` have passed or `--max-requests`
 * batches were sent, then waits until every acknowledged sample is stored and indexed and counts
 * them: stored records, account counters and the index size must all equal the acknowledged count.
 *
 * Rate limiting is off (`--rps 0`, the key has rps 0) unless asked for: with `--rps N` the key gets
 * N requests/s (burst 2N) and the 429s it earns are counted; a client waits out Retry-After and
 * sends the same batch again. A batch answered 5xx or not at all is in doubt: it is re-sent
 * (same body, hence the same batchId: idempotent) until it is acknowledged, also after the clock
 * ran out, so every sample ends up either acknowledged or never sent.
 *
 * Progress goes to stderr; the last line on stdout is one JSON object. Exits 1 when a sample is
 * lost or doubled, or a 5xx was seen.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { createRedis, scanKeys } from '../adapters/redis/client.js';
import { loadConfig, redisLayout } from '../runtime/config.js';
import { parseArgs } from './args.js';
import { percentile, startLocalService } from './local.js';
import { ACCOUNT, deletePrefix, pipelineByShard, redisKeys, sumOverShards } from '../adapters/redis/schema.js';

const args = parseArgs(process.argv.slice(2), {
  clients: '200',
  seconds: '60',
  batch: '100',
  'max-requests': '20000',
  rps: '0',
  'drain-seconds': '600',
  accounts: '2000',
  pools: path.resolve('../shared/data/prompts'),
});
const CLIENTS = positiveInt('clients');
const SECONDS = Number(args.seconds);
const BATCH = positiveInt('batch');
const MAX_REQUESTS = positiveInt('max-requests');
const RPS = Number(args.rps);
const DRAIN_S = Number(args['drain-seconds']);
const ACCOUNTS = positiveInt('accounts');
if (!(SECONDS > 0) || !(RPS >= 0) || !(DRAIN_S > 0)) throw new Error('--seconds and --drain-seconds must be > 0, --rps >= 0');

const config = loadConfig();
const log = (msg: string) => process.stderr.write(`[load] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function positiveInt(name: keyof typeof args): number {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
}

async function loadTexts(): Promise<string[]> {
  const texts: string[] = [];
  try {
    for (const f of (await readdir(args.pools)).filter((f) => f.endsWith('.jsonl')).sort()) {
      for (const line of (await readFile(path.join(args.pools, f), 'utf8')).split('\n')) {
        if (line.trim()) texts.push((JSON.parse(line) as { text: string }).text.slice(0, config.MAX_TEXT_CHARS));
      }
    }
  } catch {
    log(`no prompt pools at ${args.pools}; using synthetic text`);
  }
  if (texts.length === 0) {
    const verbs = ['write', 'explain', 'debug', 'summarise', 'compare', 'design', 'optimise', 'test'];
    const objects = ['a python function', 'the sql query', 'a kubernetes deployment', 'the regex', 'a recipe', 'the proof', 'a unit test'];
    const topics = ['for parsing dates', 'about climate change', 'that handles errors', 'with step by step reasoning', 'for beginners'];
    for (let i = 0; i < 5000; i++) texts.push(`${verbs[i % 8]} ${objects[i % 7]} ${topics[i % 5]} (${i})`);
  }
  return texts.filter((t) => t.trim().length > 0);
}

async function countKeys(redis: Redis, patterns: string[]): Promise<number> {
  let n = 0;
  for await (const keys of scanKeys(redis, patterns)) n += keys.length;
  return n;
}

async function main(): Promise<void> {
  const texts = await loadTexts();
  const prefix = `load-${randomBytes(4).toString('hex')}`;
  const key = randomBytes(24).toString('base64url');
  const apiKeys = [{ name: 'load', sha256: createHash('sha256').update(key).digest('hex'), scopes: ['admin'], rps: RPS, ...(RPS > 0 ? { burst: Math.max(1, Math.ceil(RPS * 2)) } : {}) }];
  const service = await startLocalService({
    KEY_PREFIX: prefix,
    ROLE: 'all',
    AUTH: 'keys',
    API_KEYS: JSON.stringify(apiKeys),
    RATE_LIMIT_RPS: '0',
    MAX_BATCH_SAMPLES: String(Math.max(BATCH, 1000)),
  });
  const url = service.url;
  const redis = createRedis({ url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES }, {});
  const keys = redisKeys(prefix, redisLayout(config));
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
  let failed = false;
  try {
    const ready = async () => (await (await fetch(`${url}/ready`)).json()) as { indexSize: number };

    const status: Record<string, number> = { '2xx': 0, '4xx': 0, '429': 0, '5xx': 0, errors: 0 };
    const other4xx: string[] = [];
    const latencies: number[] = [];
    let sent = 0; // batches started (bounded by --max-requests)
    let ackedBatches = 0;
    let ackedSamples = 0; // samples in batches answered 202 (each batch counted once)
    let reportedAccepted = 0; // sum of `accepted` over first 202 per batch
    let retriesInDoubt = 0;
    let inDoubtLeft = 0;
    let t = 0;

    const post = async (body: string): Promise<{ code: number; accepted?: number; retryAfterS?: number } | { code: 0 }> => {
      const s = performance.now();
      try {
        const res = await fetch(`${url}/v1/samples`, { method: 'POST', headers, body, signal: AbortSignal.timeout(60_000) });
        const text = await res.text();
        latencies.push(performance.now() - s);
        if (res.status >= 200 && res.status < 300) status['2xx']!++;
        else if (res.status === 429) status['429']!++;
        else if (res.status >= 500) status['5xx']!++;
        else if (res.status >= 400) {
          status['4xx']!++;
          if (other4xx.length < 5) other4xx.push(`${res.status} ${text.slice(0, 200)}`);
        }
        const retryAfter = Number(res.headers.get('retry-after'));
        return {
          code: res.status,
          ...(res.status === 202 ? { accepted: (JSON.parse(text) as { accepted: number }).accepted } : {}),
          ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterS: retryAfter } : {}),
        };
      } catch {
        latencies.push(performance.now() - s);
        status.errors!++;
        return { code: 0 };
      }
    };

    log(`${CLIENTS} clients, ${BATCH}-sample batches, ${SECONDS} s (at most ${MAX_REQUESTS} requests), key rps ${RPS || 'unlimited'}`);
    const t0 = performance.now();
    const endAt = t0 + SECONDS * 1000;
    const hardEnd = endAt + 120_000; // in-doubt batches are re-sent for at most this long after the clock
    const progress = setInterval(() => log(`${((performance.now() - t0) / 1000).toFixed(0)} s: ${ackedSamples} samples acknowledged, ${JSON.stringify(status)}`), 10_000);
    const tsBase = Date.UTC(2026, 4, 1);
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let r = 0; performance.now() < endAt && sent < MAX_REQUESTS; r++) {
          sent++;
          const samples = Array.from({ length: BATCH }, (_, i) => {
            const n = t++;
            return { accountId: `acct-${(n * 7919) % ACCOUNTS}`, promptId: `c${c}-r${r}-${i}`, ts: tsBase + n, text: texts[n % texts.length]! };
          });
          const body = JSON.stringify({ samples });
          for (let attempt = 0; ; attempt++) {
            const res = await post(body);
            if (res.code === 202) {
              ackedBatches++;
              ackedSamples += BATCH;
              reportedAccepted += 'accepted' in res ? res.accepted! : 0;
              break;
            }
            const inDoubt = res.code === 0 || res.code >= 500;
            if (res.code === 429 || res.code === 503) {
              // Refused, not stored: wait as told; past the clock, this batch is simply not sent.
              if (res.code === 429 && performance.now() >= endAt) break;
              await sleep(Math.min(5, ('retryAfterS' in res && res.retryAfterS) || 1) * 1000);
            } else if (!inDoubt) break; // any other 4xx: rejected whole, nothing stored
            else await sleep(Math.min(2000, 100 * 2 ** attempt));
            if (inDoubt) retriesInDoubt++;
            if (inDoubt && performance.now() > hardEnd) {
              inDoubtLeft++;
              break;
            }
          }
        }
      }),
    );
    clearInterval(progress);
    const postedS = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const requests = latencies.length;
    log(`posting done after ${postedS.toFixed(1)} s: ${requests} requests, ${ackedSamples} samples acknowledged; waiting until all are indexed`);

    // Drain: every acknowledged sample stored (label sequence) and applied to the index.
    const drainBy = Date.now() + DRAIN_S * 1000;
    // Each shard numbers its own prompts: the sequences together count what was stored.
    const labelCount = () => sumOverShards(keys, async (k) => Number((await redis.get(k.labelSeq)) ?? 0));
    let drained = false;
    let lastLog = 0;
    for (;;) {
      const stored = await labelCount();
      const indexSize = (await ready()).indexSize;
      if (stored >= ackedSamples && indexSize >= stored) {
        drained = true;
        break;
      }
      if (Date.now() > drainBy) break;
      if (Date.now() - lastLog > 10_000) {
        log(`draining: stored ${stored}, indexed ${indexSize} of ${ackedSamples}`);
        lastLog = Date.now();
      }
      await sleep(250);
    }
    const drainS = (performance.now() - t0) / 1000 - postedS;
    // Settle: anything still queued or in flight would show up as a surplus.
    await sleep(1000);
    const storedRecords = await countKeys(redis, keys.shards.map((k) => k.prompt('*')));
    const labels = await labelCount();
    const accountIds = (await Promise.all(keys.shards.map((k) => redis.smembers(k.accounts)))).flat();
    const counts = await pipelineByShard(redis, accountIds, (a) => keys.of(a), (p, k, a) => p.hget(k.account(a), ACCOUNT.prompts));
    const accountSum = counts.reduce((sum, [n]) => sum + Number(n ?? 0), 0);
    const indexSize = (await ready()).indexSize;
    const queue = {
      waiting: await redis.llen(`${keys.queuePrefix}:ingest:wait`),
      active: await redis.llen(`${keys.queuePrefix}:ingest:active`),
      delayed: await redis.zcard(`${keys.queuePrefix}:ingest:delayed`),
      failed: await redis.zcard(`${keys.queuePrefix}:ingest:failed`),
    };
    const lost = Math.max(0, ackedSamples - Math.min(storedRecords, labels, accountSum, indexSize));
    const doubled = Math.max(0, Math.max(storedRecords, labels, accountSum, indexSize) - ackedSamples);
    const ok = drained && lost === 0 && doubled === 0 && status['5xx'] === 0 && status['4xx'] === 0 && inDoubtLeft === 0 && reportedAccepted === ackedSamples;
    failed = !ok;
    const result = {
      ok,
      clients: CLIENTS,
      batch: BATCH,
      seconds: Number(postedS.toFixed(1)),
      requests,
      batches_sent: sent,
      batches_acknowledged: ackedBatches,
      requests_per_s: Math.round(requests / postedS),
      samples_acknowledged: ackedSamples,
      accepted_reported: reportedAccepted,
      acknowledged_samples_per_s: Math.round(ackedSamples / postedS),
      indexed_samples_per_s: Math.round(ackedSamples / (postedS + drainS)),
      drain_s: Number(drainS.toFixed(1)),
      latency_ms: { p50: round2(percentile(latencies, 0.5)), p99: round2(percentile(latencies, 0.99)), max: round2(latencies[latencies.length - 1] ?? NaN) },
      status,
      ...(other4xx.length ? { other_4xx: other4xx } : {}),
      retries_in_doubt: retriesInDoubt,
      in_doubt_unresolved: inDoubtLeft,
      counted: { stored_records: storedRecords, labels, account_counters: accountSum, index_size: indexSize, lost, doubled },
      queue,
      key_rps: RPS || null,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await service.stop();
    await deletePrefix(redis, prefix);
    redis.disconnect();
  }
  if (failed) process.exitCode = 1;
}

function round2(x: number): number {
  return Number(x.toFixed(2));
}

main().catch((err: Error) => {
  process.stderr.write(`load failed: ${err.message}\n`);
  process.exit(1);
});
