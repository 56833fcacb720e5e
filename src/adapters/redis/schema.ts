import { deflateRawSync, inflateRawSync } from 'node:zlib';
/**
 * The Redis layout, in one place: every key the service writes (under one prefix, so deployments
 * and tests share a Redis), the fields of its hashes with their codecs, and the Lua scripts (in
 * ./lua, each declaring every key it touches as KEYS) loaded once per connection.
 *
 * Every script's keys share one slot-group hash tag (RedisLayout), so the same scripts run on one
 * Redis and on a Redis Cluster.
 */
import { readFileSync } from 'node:fs';
import type { ChainableCommander, Redis } from 'ioredis';
import { scanKeys } from './client.js';
import type { AccountRecord } from '../../app/queries.js';
import type { Classification } from '../../model/scoring/classifier.js';
import type { AccountScore, Tier } from '../../model/scoring/score.js';

/**
 * Where an account's keys live. A Redis Cluster runs a script only on keys of one slot, so the
 * state is split into `shards` slot groups: an account, its prompts and the index log entries they
 * add hash (by account id) to one group, whose keys carry its hash tag (`{<prefix>.<shard>}`), and
 * one script call commits all of them. Keys read across accounts (scores, events, campaigns, fleet
 * monitors, verdicts) carry the global tag `{<prefix>}`. On one Redis with one shard no tags are
 * needed, and the names are the ones this layout has always had.
 */
export interface RedisLayout {
  /** Slot groups the account state is split over; fixed for the life of the data (checked at start). */
  shards: number;
  /** Whether keys carry hash tags: a Redis Cluster needs them, and more than one shard implies them. */
  tagged: boolean;
}

export function redisKeys(prefix: string, layout: RedisLayout = { shards: 1, tagged: false }) {
  const tagged = layout.tagged || layout.shards > 1;
  const g = tagged ? `{${prefix}}` : prefix;
  const shards = Array.from({ length: layout.shards }, (_, s) => shardKeys(tagged ? `{${prefix}.${s}}` : prefix, s));
  return {
    prefix,
    /** Where BullMQ keeps the queues: one slot, since its scripts touch several keys of a queue. */
    queuePrefix: g,
    /** Key patterns that together cover everything this prefix holds (clean-up scans). */
    patterns: tagged ? [`{${prefix}}:*`, `{${prefix}.*}:*`] : [`${prefix}:*`],
    shards,
    /** The slot group holding an account's state, prompts and index-log entries. */
    of: (accountId: string) => shards[shardOf(accountId, shards.length)]!,
    /** Shard count and tagging the data was written with (`shards`). */
    layout: `${g}:layout`,
    /** Per shard, the last outbox entry whose effects reached the global keys (effects-relay.ts). */
    relayCursors: `${g}:outbox:applied`,
    taxonomy: `${g}:taxonomy`,
    taxonomyVersion: `${g}:taxonomy:version`,
    scores: `${g}:scores`,
    /** The outbox: every event, in order (outbox.ts alone appends and relays). */
    events: `${g}:events`,
    webhookCursor: `${g}:webhook:cursor`,
    rateLimit: (keyName: string) => `${g}:ratelimit:${keyName}`,
    campaigns: `${g}:campaigns`,
    campaign: (clusterId: string) => `${g}:campaign:${clusterId}`,
    campaignTiers: `${g}:campaign-tiers`,
    campaignOf: `${g}:campaign-of`,
    /** Release pivots already announced, by `clusterId|release`. */
    campaignPivots: `${g}:campaign-pivots`,
    /** Young-population prompts per hour (field `<hour>`) and output tokens (`<hour>:t`). */
    fleetYoung: `${g}:fleet:young`,
    /** Young accounts by prompts in one hour: who is behind an alert. */
    fleetYoungHour: (hour: number | string) => `${g}:fleet:young:${hour}`,
    /** Hours that raised an alert, each once. */
    fleetAlerted: `${g}:fleet:alerted`,
    fleetAlerts: `${g}:fleet:alerts`,
    /** Latest verdict per subject (`account:<id>`, `campaign:<id>`), as JSON. */
    verdicts: `${g}:verdicts`,
    /** Subjects by the time of their latest verdict. */
    verdictsByTime: `${g}:verdicts:by-time`,
    /** Per account, the subject of the latest verdict covering it. */
    verdictOf: `${g}:verdict-of`,
    /** Release names the fold has counted for: erasure removes an account from each one's sets. */
    releases: `${g}:releases`,
    releaseExposed: (release: string) => `${g}:release:${release}:exposed`,
    releaseAdopted: (release: string) => `${g}:release:${release}:adopted`,
  };
}

/** The keys of one slot group (see RedisLayout); `base` is the prefix, tagged when the layout is. */
function shardKeys(base: string, shard: number) {
  const acct = (accountId: string) => `${base}:acct:{${accountId}}`;
  return {
    shard,
    /** Hash of one stored prompt (PROMPT fields). */
    prompt: (promptId: string) => `${base}:prompt:${promptId}`,
    /** A stored prompt's text and metadata, compressed (promptBody): kept out of its hash so the hash stays compact. */
    body: (promptId: string) => `${base}:body:${promptId}`,
    /** `batchId|claimedAt|enqueued` while a batch holds the promptId between submission and commit. */
    claim: (promptId: string) => `${base}:claim:${promptId}`,
    /** Hash of one account's state (ACCOUNT fields). */
    account: acct,
    /** The account's prompts not yet folded into its profile, in arrival order. */
    pending: (accountId: string) => `${acct(accountId)}:pending`,
    /** The account's linking keys (templates, infrastructure) with counts. */
    links: (accountId: string) => `${acct(accountId)}:links`,
    /** The account's promptIds by time. */
    accountPrompts: (accountId: string) => `${acct(accountId)}:prompts`,
    /** Labels are `sequence * shards + shard`, so shards never hand out the same one. */
    labelSeq: `${base}:seq:label`,
    vectorLog: `${base}:log:vectors`,
    /** Index followers (search replicas) and how far each has snapshotted the log: `lastLogId heardAtMs`. */
    indexFollowers: `${base}:log:vectors:followers`,
    /** `model`, `dim`: the embedding model the stored vectors come from. */
    meta: `${base}:meta`,
    dirty: `${base}:dirty`,
    accounts: `${base}:accounts`,
    /** Effects of this shard's commits on the global keys, applied in order by effects-relay.ts. */
    outbox: `${base}:outbox`,
  };
}

export type ShardKeys = ReturnType<typeof shardKeys>;

/** Items by the shard holding them, in their order within each shard. */
export function groupByShard<T>(items: readonly T[], shardOf: (item: T) => ShardKeys): Map<ShardKeys, T[]> {
  const groups = new Map<ShardKeys, T[]>();
  for (const item of items) {
    const k = shardOf(item);
    const g = groups.get(k);
    if (g) g.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Commands for items of many accounts: one pipeline per shard, run together (a cluster pipeline
 * may not span slots). `queue` adds an item's commands; the answer is each item's replies.
 */
export async function pipelineByShard<T>(
  redis: Redis,
  items: readonly T[],
  shardOf: (item: T) => ShardKeys,
  queue: (p: ChainableCommander, k: ShardKeys, item: T) => void,
): Promise<unknown[][]> {
  const groups = groupByShard(
    items.map((_, i) => i),
    (i) => shardOf(items[i]!),
  );
  const out: unknown[][] = new Array(items.length);
  await Promise.all(
    [...groups].map(async ([k, members]) => {
      const p = redis.pipeline();
      const counts = members.map((i) => {
        const before = p.length;
        queue(p, k, items[i]!);
        return p.length - before;
      });
      const replies = (await p.exec()) ?? [];
      let at = 0;
      members.forEach((i, j) => {
        out[i] = replies.slice(at, (at += counts[j]!)).map(([err, v]) => {
          if (err) throw err;
          return v;
        });
      });
    }),
  );
  return out;
}

/** A count summed over every shard (accounts, dirty accounts, log entries). */
export async function sumOverShards(keys: RedisKeys, count: (k: ShardKeys) => Promise<number>): Promise<number> {
  return (await Promise.all(keys.shards.map(count))).reduce((a, b) => a + b, 0);
}

export class LayoutMismatchError extends Error {}

/**
 * Records the shard count the prefix is written with, or checks it against the recorded one:
 * accounts hash to shards by that count, so data written under another is out of reach.
 */
export async function assertLayout(redis: Redis, keys: RedisKeys): Promise<void> {
  const want = String(keys.shards.length);
  await redis.set(keys.layout, want, 'NX');
  const held = await redis.get(keys.layout);
  if (held !== want) {
    throw new LayoutMismatchError(`Redis prefix ${keys.prefix} holds data split over ${held} shards but REDIS_SHARDS is ${want}; use ${held} or another KEY_PREFIX`);
  }
}

/** FNV-1a over the id's UTF-16 units: stable across processes and versions. */
export function shardOf(accountId: string, shards: number): number {
  if (shards === 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < accountId.length; i++) h = Math.imul(h ^ accountId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % shards;
}

export type RedisKeys = ReturnType<typeof redisKeys>;

/** Account hash fields. Short names: there is one hash per account. */
export const ACCOUNT = {
  prompts: 'n',
  firstSeen: 'first',
  lastSeen: 'last',
  /** Optimistic-concurrency version of the profile. */
  version: 'v',
  profile: 'profile',
  score: 'score',
  tier: 'tier',
  evidence: 'evidence',
  scoredAt: 'scoredAt',
  /** The account's behaviour summary (JSON) for joining fleet waves. */
  behaviour: 'b',
} as const;

/** Prompt hash fields. Short names: there is one hash per prompt. */
export const PROMPT = {
  accountId: 'a',
  ts: 't',
  /** Text and metadata of records stored before prompt bodies (promptBody) existed. */
  text: 'x',
  label: 'l',
  batchId: 'b',
  metadata: 'm',
  subArea: 'c',
  area: 'r',
  highValue: 'h',
  confidence: 'q',
  /** Set once the prompt has been counted into the fleet monitors. */
  fleetCounted: 'f',
} as const;

/** Fields of a vector-log entry: a stored prompt's vector, or the label of one that left. */
export const VECTOR_LOG = { label: 'l', promptId: 'p', accountId: 'a', vector: 'v', text: 'x', ts: 't', area: 'r', deleted: 'd' } as const;

export interface StoredPrompt {
  promptId: string;
  accountId: string;
  ts: number;
  text: string;
  label: number;
  batchId: string;
  metadata?: Record<string, unknown>;
  classification: Classification;
}

export function decodeAccount(accountId: string, h: Record<string, string>, pending: number): AccountRecord | undefined {
  if (h[ACCOUNT.prompts] === undefined) return undefined;
  const score = h[ACCOUNT.score];
  const evidence = h[ACCOUNT.evidence];
  const scoredAt = h[ACCOUNT.scoredAt];
  return {
    accountId,
    prompts: Number(h[ACCOUNT.prompts]),
    firstSeen: Number(h[ACCOUNT.firstSeen]),
    lastSeen: Number(h[ACCOUNT.lastSeen]),
    pending,
    score: score === undefined ? null : Number(score),
    tier: (h[ACCOUNT.tier] as Tier | undefined) ?? 'none',
    evidence: evidence ? (JSON.parse(evidence) as AccountScore['evidence']) : null,
    scoredAt: scoredAt ? Number(scoredAt) : null,
  };
}

/**
 * A prompt's text and metadata as stored beside its hash: JSON, deflated (prompts are text and
 * compress well). Redis keeps a hash with any field over 64 bytes in its large encoding, so the
 * long fields live here and the hash keeps only short ones.
 */
export const promptBody = {
  encode(text: string, metadata: Record<string, unknown> | undefined): Buffer {
    return deflateRawSync(JSON.stringify(metadata ? [text, metadata] : [text]));
  },
  decode(body: Buffer): { text: string; metadata?: Record<string, unknown> } {
    const [text, metadata] = JSON.parse(inflateRawSync(body).toString('utf8')) as [string, Record<string, unknown>?];
    return metadata ? { text, metadata } : { text };
  },
};

/** A prompt from its hash and body; records stored before bodies existed keep text and metadata in the hash. */
export function decodePrompt(promptId: string, h: Record<string, string>, body: Buffer | null): StoredPrompt | undefined {
  if (h[PROMPT.accountId] === undefined) return undefined;
  const fromHash = h[PROMPT.metadata];
  const { text, metadata } = body ? promptBody.decode(body) : { text: h[PROMPT.text] ?? '', metadata: fromHash ? (JSON.parse(fromHash) as Record<string, unknown>) : undefined };
  return {
    promptId,
    accountId: h[PROMPT.accountId]!,
    ts: Number(h[PROMPT.ts]),
    text,
    label: Number(h[PROMPT.label]),
    batchId: h[PROMPT.batchId] ?? '',
    ...(metadata ? { metadata } : {}),
    classification: classificationFields.decode(h),
  };
}

export const classificationFields = {
  encode(c: Classification): string[] {
    return [PROMPT.subArea, c.subArea, PROMPT.area, c.area, PROMPT.highValue, c.highValue ? '1' : '0', PROMPT.confidence, String(c.confidence)];
  },
  decode(h: Record<string, string>): Classification {
    return { subArea: h[PROMPT.subArea] ?? '', area: h[PROMPT.area] ?? '', highValue: h[PROMPT.highValue] === '1', confidence: Number(h[PROMPT.confidence] ?? 0) };
  },
};

/** The scripts in ./lua; each is called with its KEYS counted first (`numkeys`, as EVAL takes them). */
export const SCRIPTS = ['store', 'claim', 'markEnqueued', 'commitFold', 'rebuild', 'dropPrompts', 'takeToken', 'trimLog', 'applyEffects'] as const;
export type ScriptName = (typeof SCRIPTS)[number];

const LUA_DIR = new URL('./lua/', import.meta.url);
const sources = new Map<ScriptName, string>();
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Runs a script by name: loaded from its file once per process, registered once per connection
 * with ioredis `defineCommand` (EVALSHA, falling back to EVAL when Redis has not seen it).
 */
export function runScript(redis: Redis, name: ScriptName, keys: readonly string[], args: readonly (string | number | Buffer)[]): Promise<unknown> {
  const client = redis as Redis & Record<string, (...a: unknown[]) => Promise<unknown>>;
  if (typeof client[name] !== 'function') {
    let lua = sources.get(name);
    if (!lua) sources.set(name, (lua = readFileSync(new URL(`${kebab(name)}.lua`, LUA_DIR), 'utf8')));
    redis.defineCommand(name, { lua });
  }
  return client[name]!(keys.length, ...keys, ...args);
}

/** Every account id, a page at a time, shard after shard (campaign sweeps, retention, reclassify). */
export async function* accountPages(redis: Redis, keys: RedisKeys, pageSize: number): AsyncIterable<string[]> {
  for (const k of keys.shards) {
    let cursor = '0';
    do {
      const [next, ids] = await redis.sscan(k.accounts, cursor, 'COUNT', pageSize);
      cursor = next;
      if (ids.length) yield ids;
    } while (cursor !== '0');
  }
}

/**
 * Removes every key under a prefix, whichever layout wrote them (bench and test clean-up: only what
 * they made). Keys are unlinked one by one: in a cluster one call may name keys of one slot only.
 */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  for await (const keys of scanKeys(redis, [`${prefix}:*`, `{${prefix}}:*`, `{${prefix}.*}:*`])) {
    await Promise.all(keys.map((key) => redis.unlink(key)));
  }
}
