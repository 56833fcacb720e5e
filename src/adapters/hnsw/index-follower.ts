import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { SimilarPrompts } from '../../model/search/similar-prompts.js';
import { HnswVectorIndex, type HnswParams } from './hnsw-index.js';
import { readSnapshot, writeSnapshot } from './index-snapshot.js';
import { Bm25Index } from '../lexical/bm25-index.js';
import { PromptClusters } from '../../model/search/prompt-clusters.js';
import { duplicateRedis } from '../redis/client.js';
import { runScript, VECTOR_LOG, type RedisKeys, type ShardKeys } from '../redis/schema.js';

export interface IndexFollowerOptions {
  redis: Redis;
  keys: RedisKeys;
  dataDir: string;
  model: { id: string; dimension: number };
  hnsw: HnswParams;
  snapshotIntervalMs: number;
  logger: Logger;
  /** Cosine similarity at which a new prompt joins its nearest prompt's cluster (CLUSTER_SIMILARITY). */
  clusterSimilarity: number;
  onApplied?: (count: number) => void;
  /**
   * This follower's name among the search replicas sharing the log (stable across its restarts):
   * the log is trimmed behind the slowest of them.
   */
  followerId: string;
  /** The shards whose index logs this index applies (an index shard's part); all of them by default. */
  logShards?: readonly ShardKeys[];
}

const READ_COUNT = 2000;
/**
 * Entries applied between yields to the event loop: each costs an HNSW insert and a cluster lookup
 * (about 0.15 ms), so a slice holds a search request back a few milliseconds, not a whole read.
 */
const APPLY_SLICE = 50;
/** Nearest prompts asked when placing a new one in a cluster: the first clustered one decides. */
const CLUSTER_NEIGHBOURS = 3;
/**
 * Search breadth of that lookup. It runs once per prompt on the index thread and cost as much as
 * the insert itself at the query breadth (HNSW_EF_SEARCH); a prompt 0.9 alike to an indexed one is
 * found at a small breadth too.
 */
const CLUSTER_EF = 16;
const BLOCK_MS = 500;
/**
 * A replica not heard from for this long (it snapshots every SNAPSHOT_INTERVAL_S while it runs)
 * stops holding the log back; when it comes back it finds the log trimmed past its snapshot and
 * refuses to serve a partial index.
 */
const FOLLOWER_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Owns the in-memory index. Workers never touch it: they append to the index log in Redis, and this
 * follower applies the log in order. A restart loads the last snapshot and replays the log after it,
 * so nothing is re-embedded and nothing the store committed is missing from search.
 */
export class IndexFollower {
  readonly prompts: SimilarPrompts;
  /** The shards' logs this index follows. */
  private readonly followed: readonly ShardKeys[];
  /** Per shard (all of them, by shard number), the last log entry applied, and the last one the written snapshot holds. */
  private readonly lastLogIds: string[];
  private snapshotLogIds: string[];
  private running = false;
  private loops: Promise<void>[] = [];
  /** Per followed shard a reader: a blocking XREAD holds its connection, and in a cluster reads one slot. */
  private readonly readers = new Map<number, Redis>();
  private snapshotTimer: NodeJS.Timeout | undefined;
  // hnswlib writes a snapshot on a background thread; applying entries meanwhile would race it.
  private exclusive: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly opts: IndexFollowerOptions,
    prompts: SimilarPrompts,
    private readonly lexical: Bm25Index,
    readonly clusters: PromptClusters,
    lastLogIds: string[],
  ) {
    this.prompts = prompts;
    this.lastLogIds = [...lastLogIds];
    this.snapshotLogIds = [...lastLogIds];
    this.followed = opts.logShards ?? opts.keys.shards;
    // Readers wait out Redis outages.
    for (const k of this.followed) {
      const reader = duplicateRedis(opts.redis, { lazyConnect: false, enableOfflineQueue: true, maxRetriesPerRequest: null });
      reader.on('error', (err) => opts.logger.warn({ err: err.message }, 'index log reader connection error'));
      this.readers.set(k.shard, reader);
    }
  }

  static async open(opts: IndexFollowerOptions): Promise<IndexFollower> {
    const snap = await readSnapshot(opts.dataDir, { model: opts.model.id, dimension: opts.model.dimension }, opts.hnsw);
    if (snap) {
      if (snap.state.lastLogIds.length !== opts.keys.shards.length) {
        throw new Error(`the index in ${opts.dataDir} follows ${snap.state.lastLogIds.length} log shards but REDIS_SHARDS is ${opts.keys.shards.length}; use another DATA_DIR`);
      }
      opts.logger.info({ size: snap.state.size, lastLogIds: snap.state.lastLogIds }, 'index snapshot loaded');
      const lexical = snap.lexical ? Bm25Index.load(snap.lexical) : Bm25Index.create();
      const clusters = new PromptClusters(opts.clusterSimilarity, snap.clusters ?? undefined);
      return new IndexFollower(opts, new SimilarPrompts(snap.index, snap.catalog, lexical), lexical, clusters, snap.state.lastLogIds);
    }
    const lexical = Bm25Index.create();
    const index = HnswVectorIndex.create(opts.model.dimension, opts.hnsw);
    return new IndexFollower(opts, new SimilarPrompts(index, undefined, lexical), lexical, new PromptClusters(opts.clusterSimilarity), opts.keys.shards.map(() => '0'));
  }

  /** Applies everything logged so far, then keeps following in the background. */
  async start(): Promise<void> {
    await this.checkNoGap();
    // Hold the log at this snapshot's position before anyone trims it again.
    await this.trimBehindSlowest();
    this.running = true;
    while ((await this.catchUpOnce()) > 0);
    this.opts.logger.info({ size: this.prompts.size }, 'index caught up with the log');
    this.loops = this.followed.map((shard) => this.follow(shard));
    this.snapshotTimer = setInterval(() => void this.snapshot().catch((err) => this.opts.logger.error({ err }, 'index snapshot failed')), this.opts.snapshotIntervalMs);
    this.snapshotTimer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
    await Promise.all(this.loops);
    for (const reader of this.readers.values()) reader.disconnect();
    await this.snapshot();
  }

  /** Writes a snapshot if anything was applied since the last one, then trims the log behind it. */
  snapshot(): Promise<void> {
    return this.serially(() => this.writeSnapshot());
  }

  private async writeSnapshot(): Promise<void> {
    if (this.lastLogIds.every((id, s) => id === this.snapshotLogIds[s])) return;
    const lastLogIds = [...this.lastLogIds];
    const index = this.prompts.index as HnswVectorIndex;
    await writeSnapshot(
      this.opts.dataDir,
      { lastLogIds, model: this.opts.model.id, dimension: this.opts.model.dimension, size: this.prompts.size, writtenAt: new Date().toISOString() },
      index,
      this.prompts.snapshot(),
      this.lexical.toJSON(),
      this.clusters.snapshot(),
    );
    this.snapshotLogIds = lastLogIds;
    await this.trimBehindSlowest();
    this.opts.logger.info({ size: this.prompts.size, lastLogIds }, 'index snapshot written');
  }

  /** Records this follower's snapshot position in each shard's log and trims it behind the slowest replica. */
  private async trimBehindSlowest(): Promise<void> {
    await Promise.all(
      this.followed.map((k) =>
        runScript(this.opts.redis, 'trimLog', [k.indexFollowers, k.vectorLog], [this.opts.followerId, this.snapshotLogIds[k.shard]!, Date.now(), FOLLOWER_TTL_MS]),
      ),
    );
  }

  /**
   * Refuses to follow a log trimmed past this index's position (another replica trimmed it while
   * this one was away longer than FOLLOWER_TTL_MS): replaying it would serve an index with holes.
   */
  private async checkNoGap(): Promise<void> {
    for (const k of this.followed) await this.checkNoGapIn(k);
  }

  private async checkNoGapIn(k: ShardKeys): Promise<void> {
    const info = (await this.opts.redis.call('XINFO', 'STREAM', k.vectorLog).catch(() => null)) as unknown[] | null;
    if (!info) return; // no log yet
    const field = (name: string) => info[info.indexOf(name) + 1];
    const length = Number(field('length'));
    if (!(Number(field('entries-added')) > length)) return; // never trimmed
    // A follower's own trims keep the entry at its position, so the log starts at or before it.
    const first = length > 0 ? String((field('first-entry') as [unknown])[0]) : String(field('last-generated-id'));
    const position = this.lastLogIds[k.shard]!;
    if (olderId(position, first)) {
      throw new Error(
        `the index log ${k.vectorLog} was trimmed up to ${first}, past this index's position ${position} (${this.opts.dataDir}): this replica is new or was away too long; copy a current snapshot from another replica into its data dir`,
      );
    }
  }

  private async follow(shard: ShardKeys): Promise<void> {
    while (this.running) {
      try {
        await this.applyOnce(shard, BLOCK_MS);
      } catch (err) {
        if (!this.running) return;
        this.opts.logger.error({ err }, 'index log read failed; retrying');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.exclusive.then(fn, fn);
    this.exclusive = run.catch(() => undefined);
    return run;
  }

  private async applyOnce(shard: ShardKeys, blockMs: number): Promise<number> {
    const res = await this.readLog(shard, blockMs);
    return this.serially(async () => this.apply(res.map(([id, fields]) => ({ shard: shard.shard, id, fields }))));
  }

  /**
   * Catching up, the shards' logs are applied merged in stream-id order, the order they were
   * written in (on one Redis, exactly): a restart or a new replica then places prompts in clusters
   * in the order the live index saw them, not shard after shard. Entries past the last one read
   * from a shard with more to read wait for the next round.
   */
  private async catchUpOnce(): Promise<number> {
    const reads = await Promise.all(this.followed.map(async (k) => ({ k, entries: await this.readLog(k, 0) })));
    const full = reads.filter((r) => r.entries.length === READ_COUNT).map((r) => r.entries.at(-1)![0].toString());
    const frontier = full.reduce<string | undefined>((min, id) => (min === undefined || olderId(id, min) ? id : min), undefined);
    const merged = reads
      .flatMap(({ k, entries }) => entries.map(([id, fields]) => ({ shard: k.shard, id, fields, at: id.toString() })))
      .filter((e) => frontier === undefined || !olderId(frontier, e.at))
      .sort((a, b) => (olderId(a.at, b.at) ? -1 : olderId(b.at, a.at) ? 1 : a.shard - b.shard));
    return this.serially(async () => this.apply(merged));
  }

  private async readLog(shard: ShardKeys, blockMs: number) {
    const args: (string | number)[] = ['COUNT', READ_COUNT];
    if (blockMs > 0) args.push('BLOCK', blockMs);
    const res = (await this.readers.get(shard.shard)!.xreadBuffer(...(args as ['COUNT', number]), 'STREAMS', shard.vectorLog, this.lastLogIds[shard.shard]!)) as
      | [Buffer, [Buffer, Buffer[]][]][]
      | null;
    return res?.[0]?.[1] ?? [];
  }

  private async apply(entries: readonly { shard: number; id: Buffer; fields: Buffer[] }[]): Promise<number> {
    for (const [n, { shard, id, fields }] of entries.entries()) {
      if (n > 0 && n % APPLY_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      const f = fieldMap(fields);
      this.lastLogIds[shard] = id.toString();
      const deleted = f.get(VECTOR_LOG.deleted);
      if (deleted) {
        this.prompts.remove(Number(deleted.toString()));
        this.clusters.remove(Number(deleted.toString()));
        continue;
      }
      const v = f.get(VECTOR_LOG.vector)!;
      // Copy out: the Buffer may share an unaligned pool slab.
      const vector = new Float32Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
      const text = f.get(VECTOR_LOG.text)?.toString();
      const label = Number(f.get(VECTOR_LOG.label)!.toString());
      const promptId = f.get(VECTOR_LOG.promptId)!.toString();
      const accountId = f.get(VECTOR_LOG.accountId)!.toString();
      // Its nearest prompts before it joins: the cluster it belongs to is theirs.
      const neighbours = this.prompts.size ? this.prompts.index.search(vector, CLUSTER_NEIGHBOURS, undefined, CLUSTER_EF) : [];
      // Entries logged before clustering carry no time or area: those prompts stay unclustered and unfiltered.
      const tsField = f.get(VECTOR_LOG.ts);
      const meta = tsField ? { ts: Number(tsField.toString()), area: f.get(VECTOR_LOG.area)?.toString() ?? 'other' } : {};
      this.prompts.add({ label, promptId, accountId, vector, ...meta, ...(text !== undefined ? { text } : {}) });
      if (meta.ts !== undefined && text !== undefined) this.clusters.assign({ label, promptId, accountId, ts: meta.ts, area: meta.area!, text }, neighbours);
    }
    if (entries.length > 0) this.opts.onApplied?.(entries.length);
    return entries.length;
  }
}

function fieldMap(fields: Buffer[]): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  for (let i = 0; i + 1 < fields.length; i += 2) m.set(fields[i]!.toString(), fields[i + 1]!);
  return m;
}

/** Whether stream id a ("ms-seq") comes before b. */
function olderId(a: string, b: string): boolean {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am !== bm ? am < bm : as < bs;
}
