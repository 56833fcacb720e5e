import type { Redis } from 'ioredis';
import type { AccountStateStore, FoldInput, FoldResult } from '../../app/account-scoring.js';
import type { AccountReads, AccountRecord } from '../../app/queries.js';
import type { ReclassifyStore } from '../../app/reclassify.js';
import type { RetentionStore } from '../../app/retention.js';
import type { Classification } from '../../model/scoring/classifier.js';
import type { Sample } from '../../model/sample.js';
import { upgradeProfile, type ClassifiedPrompt } from '../../model/scoring/profile.js';
import type { Tier } from '../../model/scoring/score.js';
import { applyAllEffects, applyShardEffects } from './effects-relay.js';
import { accountPages, ACCOUNT, classificationFields, decodeAccount, pipelineByShard, runScript, sumOverShards, type RedisKeys } from './schema.js';
import type { RedisPromptStore } from './redis-prompt-store.js';

/** Prompts one erasure or retention script call drops at most. */
const DROP_BATCH = 1000;

export class RedisAccountStore implements AccountStateStore, ReclassifyStore, RetentionStore, AccountReads {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly prompts: RedisPromptStore,
  ) {}

  /** Up to `limit` accounts, drawn from every shard's dirty set. */
  async dirtyAccounts(limit: number): Promise<string[]> {
    const each = Math.ceil(limit / this.keys.shards.length);
    const drawn = await Promise.all(this.keys.shards.map((k) => this.redis.srandmember(k.dirty, each)));
    return drawn.flat().slice(0, limit);
  }

  /** Applies what folds and drops left in the shards' outboxes to the keys read across accounts. */
  applyEffects(): Promise<number> {
    return applyAllEffects(this.redis, this.keys);
  }

  async loadForFold(accountId: string, maxPrompts: number): Promise<FoldInput> {
    const k = this.keys.of(accountId);
    const [[, fields], [, ids]] = (await this.redis
      .multi()
      .hmget(k.account(accountId), ACCOUNT.version, ACCOUNT.profile, ACCOUNT.tier, ACCOUNT.scoredAt)
      .lrange(k.pending(accountId), 0, maxPrompts - 1)
      .exec()) as [[null, (string | null)[]], [null, string[]]];
    const [v, profile, tier, scoredAt] = fields;
    const records = await this.prompts.getPrompts(ids.map((promptId) => ({ promptId, accountId })));
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
    const k = this.keys.of(accountId);
    const keys = [k.account(accountId), k.pending(accountId), k.links(accountId), k.outbox, k.dirty, ...r.fleet.map((c) => k.prompt(c.promptId))];
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
      JSON.stringify(r.fleet.map((c) => ({ h: c.youngHour === null ? false : String(c.youngHour), t: c.outputTokens, r: c.releases.map((x) => [x.name, x.adopted ? 1 : 0]) }))),
      ...Object.entries(r.linkKeys).flat(),
    ]);
    return ok === 1;
  }

  accountPages(pageSize: number): AsyncIterable<string[]> {
    return accountPages(this.redis, this.keys, pageSize);
  }

  countAccounts(): Promise<number> {
    return sumOverShards(this.keys, (k) => this.redis.scard(k.accounts));
  }

  async promptsOf(accountId: string): Promise<{ promptId: string; text: string }[]> {
    const ids = await this.redis.zrange(this.keys.of(accountId).accountPrompts(accountId), 0, -1);
    return (await this.prompts.getPrompts(ids.map((promptId) => ({ promptId, accountId })))).flatMap((p) => (p ? [{ promptId: p.promptId, text: p.text }] : []));
  }

  async saveClassifications(accountId: string, updates: { promptId: string; classification: Classification }[]): Promise<void> {
    const k = this.keys.of(accountId);
    const pipeline = this.redis.pipeline();
    for (const { promptId, classification: c } of updates) pipeline.hset(k.prompt(promptId), ...classificationFields.encode(c));
    await pipeline.exec();
  }

  async rebuildProfile(accountId: string): Promise<void> {
    const k = this.keys.of(accountId);
    await runScript(this.redis, 'rebuild', [k.account(accountId), k.accountPrompts(accountId), k.pending(accountId), k.links(accountId), k.dirty], [accountId]);
  }

  /** Removes the account's prompts, vectors and state; returns how many prompts went. */
  async deleteAccount(accountId: string): Promise<number> {
    let deleted = 0;
    for (;;) {
      const ids = await this.redis.zrange(this.keys.of(accountId).accountPrompts(accountId), 0, DROP_BATCH - 1);
      const [n, left] = await this.dropPrompts(accountId, 'delete', ids);
      deleted += n;
      if (left === 0) {
        await applyShardEffects(this.redis, this.keys, this.keys.of(accountId));
        return deleted;
      }
    }
  }

  /** Drops the account's prompts older than `cutoff`; returns how many went and how many are left. */
  async expireAccount(accountId: string, cutoff: number): Promise<{ dropped: number; left: number }> {
    let dropped = 0;
    for (;;) {
      const ids = await this.redis.zrangebyscore(this.keys.of(accountId).accountPrompts(accountId), '-inf', `(${cutoff}`, 'LIMIT', 0, DROP_BATCH);
      const [n, left] = await this.dropPrompts(accountId, 'expire', ids);
      dropped += n;
      if (ids.length < DROP_BATCH) {
        if (left === 0) await applyShardEffects(this.redis, this.keys, this.keys.of(accountId));
        return { dropped, left };
      }
    }
  }

  /** One bounded drop-prompts.lua call, so Redis never stalls on a huge account. */
  private async dropPrompts(accountId: string, mode: 'delete' | 'expire', ids: readonly string[]): Promise<[number, number]> {
    const k = this.keys.of(accountId);
    const keys = [k.account(accountId), k.accountPrompts(accountId), k.pending(accountId), k.links(accountId), k.vectorLog, k.accounts, k.dirty, k.outbox];
    for (const id of ids) keys.push(k.prompt(id), k.claim(id), k.body(id));
    await this.prompts.forget(accountId, ids);
    return (await runScript(this.redis, 'dropPrompts', keys, [accountId, mode, ...ids])) as [number, number];
  }

  /** The account's promptIds, newest first, from `offset`. */
  recentPromptIds(accountId: string, offset: number, limit: number): Promise<string[]> {
    return this.redis.zrevrange(this.keys.of(accountId).accountPrompts(accountId), offset, offset + limit - 1);
  }

  /** The accounts' state in one round trip; unknown ids are left out. */
  async accounts(ids: readonly string[]): Promise<Map<string, AccountRecord>> {
    const out = new Map<string, AccountRecord>();
    if (!ids.length) return out;
    const read = await pipelineByShard(this.redis, ids, (id) => this.keys.of(id), (p, k, id) => p.hgetall(k.account(id)).llen(k.pending(id)));
    ids.forEach((accountId, i) => {
      const [h, pending] = read[i] as [Record<string, string>, number];
      const a = decodeAccount(accountId, h, pending);
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
