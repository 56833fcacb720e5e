import type { Redis } from 'ioredis';
import type { AccountStateStore, FoldInput, FoldResult } from '../../app/account-scoring.js';
import type { AccountReads, AccountRecord } from '../../app/queries.js';
import type { ReclassifyStore } from '../../app/reclassify.js';
import type { RetentionStore } from '../../app/retention.js';
import type { Classification } from '../../model/scoring/classifier.js';
import type { Sample } from '../../model/sample.js';
import { upgradeProfile, type ClassifiedPrompt } from '../../model/scoring/profile.js';
import type { Tier } from '../../model/scoring/score.js';
import { OUTBOX_MAXLEN } from './outbox.js';
import { ACCOUNT, classificationFields, decodeAccount, runScript, type RedisKeys } from './schema.js';
import type { RedisPromptStore } from './redis-prompt-store.js';

/** Prompts one erasure or retention script call drops at most. */
const DROP_BATCH = 1000;

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
    const [[, fields], [, ids]] = (await this.redis
      .multi()
      .hmget(this.keys.account(accountId), ACCOUNT.version, ACCOUNT.profile, ACCOUNT.tier, ACCOUNT.scoredAt)
      .lrange(this.keys.pending(accountId), 0, maxPrompts - 1)
      .exec()) as [[null, (string | null)[]], [null, string[]]];
    const [v, profile, tier, scoredAt] = fields;
    const records = await this.prompts.getPrompts(ids);
    const prompts: ClassifiedPrompt[] = [];
    records.forEach((r) => {
      if (r) prompts.push({ promptId: r.promptId, ts: r.ts, text: r.text, ...r.classification, ...(r.metadata ? { metadata: r.metadata as Sample['metadata'] } : {}) });
    });
    return {
      accountId,
      version: Number(v ?? 0),
      profile: profile ? upgradeProfile(JSON.parse(profile)) : null,
      tier: (tier as Tier | null) ?? 'none',
      scoredAt: scoredAt ? Number(scoredAt) : null,
      prompts,
    };
  }

  async commitFold(accountId: string, r: FoldResult): Promise<boolean> {
    const now = Date.now();
    const event = r.raised
      ? JSON.stringify({ accountId, from: r.raised.from, to: r.raised.to, score: r.score.score, actions: r.actions, summary: r.score.evidence.summary, at: new Date(now).toISOString() })
      : '';
    const k = this.keys;
    const keys = [k.account(accountId), k.pending(accountId), k.links(accountId), k.scores, k.events, k.dirty, k.fleetYoung, k.releases];
    for (const c of r.fleet) {
      keys.push(k.prompt(c.promptId));
      if (c.youngHour !== null) keys.push(k.fleetYoungHour(c.youngHour));
      for (const x of c.releases) keys.push(k.releaseExposed(x.name), k.releaseAdopted(x.name));
    }
    const ok = await runScript(this.redis, 'commitFold', keys, [
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
      OUTBOX_MAXLEN,
      JSON.stringify(r.fleet.map((c) => ({ h: c.youngHour === null ? false : String(c.youngHour), t: c.outputTokens, r: c.releases.map((x) => [x.name, x.adopted ? 1 : 0]) }))),
      ...Object.entries(r.linkKeys).flat(),
    ]);
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
    const ids = await this.redis.zrange(this.keys.accountPrompts(accountId), 0, -1);
    return (await this.prompts.getPrompts(ids)).flatMap((p) => (p ? [{ promptId: p.promptId, text: p.text }] : []));
  }

  async saveClassifications(updates: { promptId: string; classification: Classification }[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const { promptId, classification: c } of updates) {
      pipeline.hset(this.keys.prompt(promptId), ...classificationFields.encode(c));
    }
    await pipeline.exec();
  }

  async rebuildProfile(accountId: string): Promise<void> {
    const k = this.keys;
    await runScript(this.redis, 'rebuild', [k.account(accountId), k.accountPrompts(accountId), k.pending(accountId), k.links(accountId), k.dirty], [accountId]);
  }

  /** Removes the account's prompts, vectors and state; returns how many prompts went. */
  async deleteAccount(accountId: string): Promise<number> {
    let deleted = 0;
    for (;;) {
      const ids = await this.redis.zrange(this.keys.accountPrompts(accountId), 0, DROP_BATCH - 1);
      const [n, left] = await this.dropPrompts(accountId, 'delete', ids);
      deleted += n;
      if (left === 0) return deleted;
    }
  }

  /** Drops the account's prompts older than `cutoff`; returns how many went and how many are left. */
  async expireAccount(accountId: string, cutoff: number): Promise<{ dropped: number; left: number }> {
    let dropped = 0;
    for (;;) {
      const ids = await this.redis.zrangebyscore(this.keys.accountPrompts(accountId), '-inf', `(${cutoff}`, 'LIMIT', 0, DROP_BATCH);
      const [n, left] = await this.dropPrompts(accountId, 'expire', ids);
      dropped += n;
      if (ids.length < DROP_BATCH) return { dropped, left };
    }
  }

  /**
   * One bounded drop-prompts.lua call (Redis never stalls on a huge account). When the call may
   * empty the account, the monitors' keys that hold its id are declared too, so it leaves them.
   */
  private async dropPrompts(accountId: string, mode: 'delete' | 'expire', ids: readonly string[]): Promise<[number, number]> {
    const k = this.keys;
    const keys = [k.account(accountId), k.accountPrompts(accountId), k.pending(accountId), k.links(accountId), k.vectorLog, k.scores, k.accounts, k.dirty];
    for (const id of ids) keys.push(k.prompt(id), k.claim(id), k.body(id));
    let hours: string[] = [];
    if (ids.length >= (await this.redis.zcard(k.accountPrompts(accountId)))) {
      const [fields, releases] = await Promise.all([this.redis.hkeys(k.fleetYoung), this.redis.smembers(k.releases)]);
      hours = fields.filter((f) => !f.endsWith(':t')).map((h) => k.fleetYoungHour(h));
      keys.push(...hours, ...releases.flatMap((r) => [k.releaseExposed(r), k.releaseAdopted(r)]));
    }
    return (await runScript(this.redis, 'dropPrompts', keys, [accountId, mode, ids.length, hours.length, ...ids])) as [number, number];
  }

  /** The account's promptIds, newest first, from `offset`. */
  recentPromptIds(accountId: string, offset: number, limit: number): Promise<string[]> {
    return this.redis.zrevrange(this.keys.accountPrompts(accountId), offset, offset + limit - 1);
  }

  /** The accounts' state in one round trip; unknown ids are left out. */
  async accounts(ids: readonly string[]): Promise<Map<string, AccountRecord>> {
    const out = new Map<string, AccountRecord>();
    if (!ids.length) return out;
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.account(id)).llen(this.keys.pending(id));
    const res = (await pipeline.exec()) ?? [];
    ids.forEach((accountId, i) => {
      const a = decodeAccount(accountId, (res[2 * i]?.[1] ?? {}) as Record<string, string>, Number(res[2 * i + 1]?.[1] ?? 0));
      if (a) out.set(accountId, a);
    });
    return out;
  }

  /** Accounts by score, highest first, within [minScore, maxScore). */
  async listByScore(opts: { minScore: number; maxScore: number; offset: number; limit: number }): Promise<string[]> {
    const max = Number.isFinite(opts.maxScore) ? `(${opts.maxScore}` : '+inf';
    return this.redis.zrevrangebyscore(this.keys.scores, max, opts.minScore, 'LIMIT', opts.offset, opts.limit);
  }
}
