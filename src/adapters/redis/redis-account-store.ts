import type { Redis } from 'ioredis';
import type { AccountStateStore, FoldInput, FoldResult } from '../../app/account-scoring.js';
import type { AccountReads, AccountRecord } from '../../app/queries.js';
import type { ReclassifyStore } from '../../app/reclassify.js';
import type { RetentionStore } from '../../app/retention.js';
import type { Classification } from '../../model/scoring/classifier.js';
import type { Sample } from '../../model/sample.js';
import { upgradeProfile, type ClassifiedPrompt } from '../../model/scoring/profile.js';
import type { AccountScore, Tier } from '../../model/scoring/score.js';
import type { RedisKeys } from './redis-keys.js';
import type { RedisPromptStore } from './redis-prompt-store.js';

/*
 * Commits a fold only if the account's version is the one it was computed from, so two scorers
 * never both count the same pending prompts. Profile, score, the pending-list trim, the score index
 * and a tier-raise event change together; the account leaves the dirty set only if no prompt
 * arrived meanwhile (the ingest script adds to both atomically, so no arrival is missed).
 */
const COMMIT_FOLD = `
local p, aid, expected, consumed = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local acct = p .. ':acct:' .. aid
local v = tonumber(redis.call('HGET', acct, 'v') or '0')
if v ~= expected then return 0 end
redis.call('HSET', acct, 'v', v + 1, 'profile', ARGV[5], 'score', ARGV[6], 'tier', ARGV[7], 'evidence', ARGV[8], 'scoredAt', ARGV[9])
redis.call('LTRIM', acct .. ':pending', consumed, -1)
redis.call('ZADD', p .. ':scores', ARGV[6], aid)
if ARGV[10] ~= '' then
  redis.call('XADD', p .. ':events', 'MAXLEN', '~', 100000, '*', 'type', 'account.tier_raised', 'data', ARGV[10])
end
if ARGV[11] ~= '' then redis.call('HSET', acct, 'b', ARGV[11]) end
-- Population monitors: each prompt adds to them once ever ('f' on the prompt), so a profile rebuilt
-- from stored prompts does not count them again.
for _, c in ipairs(cjson.decode(ARGV[12])) do
  if redis.call('HSETNX', p .. ':prompt:' .. c.p, 'f', '1') == 1 then
    if c.h then
      redis.call('HINCRBY', p .. ':fleet:young', c.h, 1)
      redis.call('HINCRBY', p .. ':fleet:young', c.h .. ':t', c.t)
      redis.call('ZINCRBY', p .. ':fleet:young:' .. c.h, 1, aid)
    end
    for _, r in ipairs(c.r) do
      redis.call('SADD', p .. ':releases', r[1])
      redis.call('SADD', p .. ':release:' .. r[1] .. ':exposed', aid)
      if r[2] == 1 then redis.call('SADD', p .. ':release:' .. r[1] .. ':adopted', aid) end
    end
  end
end
for i = 13, #ARGV, 2 do redis.call('HINCRBY', acct .. ':links', ARGV[i], ARGV[i + 1]) end
if redis.call('LLEN', acct .. ':pending') == 0 then redis.call('SREM', p .. ':dirty', aid) end
return 1
`;

/*
 * The account's pending list becomes all of its prompts and its profile starts over, atomically, so
 * prompts arriving meanwhile (appended to both lists by the ingest script) are neither lost nor
 * folded twice. The tier is kept: events still announce only raises above what was announced.
 */
const REBUILD = `
local acct = ARGV[1] .. ':acct:' .. ARGV[2]
local ids = redis.call('ZRANGE', acct .. ':prompts', 0, -1)
redis.call('DEL', acct .. ':pending')
for i = 1, #ids, 1000 do redis.call('RPUSH', acct .. ':pending', unpack(ids, i, math.min(i + 999, #ids))) end
redis.call('HINCRBY', acct, 'v', 1)
redis.call('HDEL', acct, 'profile')
redis.call('DEL', acct .. ':links')
if #ids > 0 then redis.call('SADD', ARGV[1] .. ':dirty', ARGV[2]) end
return #ids
`;

// Shared by erasure and retention: a prompt leaves the store, and every index through the log.
const DROP = `
local function drop_prompt(p, acct, pid)
  local label = redis.call('HGET', p .. ':prompt:' .. pid, 'l')
  redis.call('DEL', p .. ':prompt:' .. pid, p .. ':claim:' .. pid)
  redis.call('ZREM', acct .. ':prompts', pid)
  redis.call('LREM', acct .. ':pending', 0, pid)
  if label then redis.call('XADD', p .. ':log:vectors', '*', 'd', label) end
end
local function drop_account_if_empty(p, aid)
  local acct = p .. ':acct:' .. aid
  local left = redis.call('ZCARD', acct .. ':prompts')
  if left == 0 then
    redis.call('DEL', acct, acct .. ':pending', acct .. ':links')
    -- The monitors keep counts, which stay, and account ids, which go with the account.
    for _, h in ipairs(redis.call('HKEYS', p .. ':fleet:young')) do
      if not string.find(h, ':') then redis.call('ZREM', p .. ':fleet:young:' .. h, aid) end
    end
    for _, r in ipairs(redis.call('SMEMBERS', p .. ':releases')) do
      redis.call('SREM', p .. ':release:' .. r .. ':exposed', aid)
      redis.call('SREM', p .. ':release:' .. r .. ':adopted', aid)
    end
    redis.call('ZREM', p .. ':scores', aid)
    redis.call('SREM', p .. ':accounts', aid)
    redis.call('SREM', p .. ':dirty', aid)
  end
  return left
end
`;

/*
 * Deletes up to ARGV[3] of an account's prompts per call (bounded, so Redis never stalls on a huge
 * account); the call that empties the account removes its state too. Returns {deleted, left}.
 */
const DELETE_ACCOUNT = `${DROP}
local p, aid, n = ARGV[1], ARGV[2], tonumber(ARGV[3])
local acct = p .. ':acct:' .. aid
local ids = redis.call('ZRANGE', acct .. ':prompts', 0, n - 1)
for _, pid in ipairs(ids) do drop_prompt(p, acct, pid) end
return {#ids, drop_account_if_empty(p, aid)}
`;

/*
 * Drops up to ARGV[4] of an account's prompts older than ARGV[3] (epoch ms) and the counts they
 * made; firstSeen moves to the oldest prompt left. Returns {dropped, left}.
 */
const EXPIRE_ACCOUNT = `${DROP}
local p, aid, cutoff, n = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local acct = p .. ':acct:' .. aid
local ids = redis.call('ZRANGEBYSCORE', acct .. ':prompts', '-inf', '(' .. cutoff, 'LIMIT', 0, n)
for _, pid in ipairs(ids) do drop_prompt(p, acct, pid) end
if #ids > 0 then redis.call('HINCRBY', acct, 'n', -#ids) end
local left = drop_account_if_empty(p, aid)
if left > 0 and #ids > 0 then
  local oldest = redis.call('ZRANGE', acct .. ':prompts', 0, 0, 'WITHSCORES')
  redis.call('HSET', acct, 'first', oldest[2])
end
return {#ids, left}
`;

export class RedisAccountStore implements AccountStateStore, ReclassifyStore, RetentionStore, AccountReads {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly prompts: RedisPromptStore,
  ) {}

  async dirtyAccounts(limit: number): Promise<string[]> {
    return this.redis.srandmember(this.keys.dirty, limit);
  }

  async loadForFold(accountId: string, maxPrompts: number): Promise<FoldInput> {
    const acct = this.keys.account(accountId);
    const [[, fields], [, ids]] = (await this.redis
      .multi()
      .hmget(acct, 'v', 'profile', 'tier')
      .lrange(`${acct}:pending`, 0, maxPrompts - 1)
      .exec()) as [[null, (string | null)[]], [null, string[]]];
    const [v, profile, tier] = fields;
    const records = await this.prompts.getPrompts(ids);
    const prompts: ClassifiedPrompt[] = [];
    records.forEach((r) => {
      if (r) prompts.push({ promptId: r.promptId, ts: r.ts, text: r.text, ...r.classification, ...(r.metadata ? { metadata: r.metadata as Sample['metadata'] } : {}) });
    });
    return {
      version: Number(v ?? 0),
      profile: profile ? upgradeProfile(JSON.parse(profile)) : null,
      tier: (tier as Tier | null) ?? 'none',
      prompts,
    };
  }

  async commitFold(accountId: string, r: FoldResult): Promise<boolean> {
    const now = Date.now();
    const event = r.raised
      ? JSON.stringify({ accountId, from: r.raised.from, to: r.raised.to, score: r.score.score, actions: r.actions, summary: r.score.evidence.summary, at: new Date(now).toISOString() })
      : '';
    const ok = await this.redis.eval(
      COMMIT_FOLD,
      0,
      this.keys.prefix,
      accountId,
      r.version,
      r.consumed,
      JSON.stringify(r.profile),
      r.score.score,
      r.score.tier,
      JSON.stringify(r.score.evidence),
      now,
      event,
      r.behaviour ? JSON.stringify(r.behaviour) : '',
      JSON.stringify(r.fleet.map((c) => ({ p: c.promptId, h: c.youngHour === null ? false : String(c.youngHour), t: c.outputTokens, r: c.releases.map((x) => [x.name, x.adopted ? 1 : 0]) }))),
      ...Object.entries(r.linkKeys).flat(),
    );
    return ok === 1;
  }

  async *accountPages(pageSize: number): AsyncIterable<string[]> {
    let cursor = '0';
    do {
      const [next, ids] = await this.redis.sscan(this.keys.accounts, cursor, 'COUNT', pageSize);
      cursor = next;
      if (ids.length) yield ids;
    } while (cursor !== '0');
  }

  countAccounts(): Promise<number> {
    return this.redis.scard(this.keys.accounts);
  }

  async promptsOf(accountId: string): Promise<{ promptId: string; text: string }[]> {
    const ids = await this.redis.zrange(`${this.keys.account(accountId)}:prompts`, 0, -1);
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hget(this.keys.prompt(id), 'x');
    const texts = (await pipeline.exec()) ?? [];
    return ids.flatMap((promptId, i) => {
      const text = texts[i]?.[1];
      return typeof text === 'string' ? [{ promptId, text }] : [];
    });
  }

  async saveClassifications(updates: { promptId: string; classification: Classification }[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const { promptId, classification: c } of updates) {
      pipeline.hset(this.keys.prompt(promptId), 'c', c.subArea, 'r', c.area, 'h', c.highValue ? '1' : '0', 'q', String(c.confidence));
    }
    await pipeline.exec();
  }

  async rebuildProfile(accountId: string): Promise<void> {
    await this.redis.eval(REBUILD, 0, this.keys.prefix, accountId);
  }

  /** Removes the account's prompts, vectors and state; returns how many prompts went. */
  async deleteAccount(accountId: string): Promise<number> {
    let deleted = 0;
    for (;;) {
      const [n, left] = (await this.redis.eval(DELETE_ACCOUNT, 0, this.keys.prefix, accountId, 1000)) as [number, number];
      deleted += n;
      if (left === 0) return deleted;
    }
  }

  /** Drops the account's prompts older than `cutoff`; returns how many went and how many are left. */
  async expireAccount(accountId: string, cutoff: number): Promise<{ dropped: number; left: number }> {
    let dropped = 0;
    for (;;) {
      const [n, left] = (await this.redis.eval(EXPIRE_ACCOUNT, 0, this.keys.prefix, accountId, cutoff, 1000)) as [number, number];
      dropped += n;
      if (n < 1000) return { dropped, left };
    }
  }

  /** The accounts' state in one round trip; unknown ids are left out. */
  async accounts(ids: readonly string[]): Promise<Map<string, AccountRecord>> {
    const out = new Map<string, AccountRecord>();
    if (!ids.length) return out;
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.account(id)).llen(`${this.keys.account(id)}:pending`);
    const res = (await pipeline.exec()) ?? [];
    ids.forEach((accountId, i) => {
      const h = res[2 * i]?.[1] as Record<string, string> | undefined;
      if (h?.n === undefined) return;
      out.set(accountId, {
        accountId,
        prompts: Number(h.n),
        firstSeen: Number(h.first),
        lastSeen: Number(h.last),
        pending: Number(res[2 * i + 1]?.[1] ?? 0),
        score: h.score === undefined ? null : Number(h.score),
        tier: (h.tier as Tier | undefined) ?? 'none',
        evidence: h.evidence ? (JSON.parse(h.evidence) as AccountScore['evidence']) : null,
        scoredAt: h.scoredAt ? Number(h.scoredAt) : null,
      });
    });
    return out;
  }

  /** Accounts by score, highest first, within [minScore, maxScore). */
  async listByScore(opts: { minScore: number; maxScore: number; offset: number; limit: number }): Promise<string[]> {
    const max = Number.isFinite(opts.maxScore) ? `(${opts.maxScore}` : '+inf';
    return this.redis.zrevrangebyscore(this.keys.scores, max, opts.minScore, 'LIMIT', opts.offset, opts.limit);
  }
}
