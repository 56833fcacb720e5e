import { deflateRawSync, inflateRawSync } from 'node:zlib';
/**
 * The Redis layout, in one place: every key the service writes (under one prefix, so deployments
 * and tests share a Redis), the fields of its hashes with their codecs, and the Lua scripts (in
 * ./lua, each declaring every key it touches as KEYS) loaded once per connection.
 *
 * An account's keys carry its id as a hash tag (`{id}`), so they share a cluster slot and one
 * script can change all of them.
 */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { AccountRecord } from '../../app/queries.js';
import type { Classification } from '../../model/scoring/classifier.js';
import type { AccountScore, Tier } from '../../model/scoring/score.js';

export function redisKeys(prefix: string) {
  const acct = (accountId: string) => `${prefix}:acct:{${accountId}}`;
  return {
    prefix,
    /** Hash of one stored prompt (PROMPT fields). */
    prompt: (promptId: string) => `${prefix}:prompt:${promptId}`,
    /** A stored prompt's text and metadata, compressed (promptBody): kept out of its hash so the hash stays compact. */
    body: (promptId: string) => `${prefix}:body:${promptId}`,
    /** `batchId|claimedAt|enqueued` while a batch holds the promptId between submission and commit. */
    claim: (promptId: string) => `${prefix}:claim:${promptId}`,
    /** Hash of one account's state (ACCOUNT fields). */
    account: acct,
    /** The account's prompts not yet folded into its profile, in arrival order. */
    pending: (accountId: string) => `${acct(accountId)}:pending`,
    /** The account's linking keys (templates, infrastructure) with counts. */
    links: (accountId: string) => `${acct(accountId)}:links`,
    /** The account's promptIds by time. */
    accountPrompts: (accountId: string) => `${acct(accountId)}:prompts`,
    labelSeq: `${prefix}:seq:label`,
    vectorLog: `${prefix}:log:vectors`,
    /** Index followers (search replicas) and how far each has snapshotted the log: `lastLogId heardAtMs`. */
    indexFollowers: `${prefix}:log:vectors:followers`,
    /** `model`, `dim`: the embedding model the stored vectors come from. */
    meta: `${prefix}:meta`,
    dirty: `${prefix}:dirty`,
    accounts: `${prefix}:accounts`,
    taxonomy: `${prefix}:taxonomy`,
    taxonomyVersion: `${prefix}:taxonomy:version`,
    scores: `${prefix}:scores`,
    /** The outbox: every event, in order (outbox.ts alone appends and relays). */
    events: `${prefix}:events`,
    webhookCursor: `${prefix}:webhook:cursor`,
    rateLimit: (keyName: string) => `${prefix}:ratelimit:${keyName}`,
    campaigns: `${prefix}:campaigns`,
    campaign: (clusterId: string) => `${prefix}:campaign:${clusterId}`,
    campaignTiers: `${prefix}:campaign-tiers`,
    campaignOf: `${prefix}:campaign-of`,
    /** Release pivots already announced, by `clusterId|release`. */
    campaignPivots: `${prefix}:campaign-pivots`,
    /** Young-population prompts per hour (field `<hour>`) and output tokens (`<hour>:t`). */
    fleetYoung: `${prefix}:fleet:young`,
    /** Young accounts by prompts in one hour: who is behind an alert. */
    fleetYoungHour: (hour: number | string) => `${prefix}:fleet:young:${hour}`,
    /** Hours that raised an alert, each once. */
    fleetAlerted: `${prefix}:fleet:alerted`,
    fleetAlerts: `${prefix}:fleet:alerts`,
    /** Latest verdict per subject (`account:<id>`, `campaign:<id>`), as JSON. */
    verdicts: `${prefix}:verdicts`,
    /** Subjects by the time of their latest verdict. */
    verdictsByTime: `${prefix}:verdicts:by-time`,
    /** Per account, the subject of the latest verdict covering it. */
    verdictOf: `${prefix}:verdict-of`,
    /** Release names the fold has counted for: erasure removes an account from each one's sets. */
    releases: `${prefix}:releases`,
    releaseExposed: (release: string) => `${prefix}:release:${release}:exposed`,
    releaseAdopted: (release: string) => `${prefix}:release:${release}:adopted`,
  };
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
export const SCRIPTS = ['store', 'claim', 'markEnqueued', 'commitFold', 'rebuild', 'dropPrompts', 'takeToken', 'trimLog'] as const;
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

/** Removes every key under a prefix (bench and test clean-up: only what they made). */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 5000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== '0');
}
