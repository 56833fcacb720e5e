import type { Redis } from 'ioredis';
import { OUTBOX_MAXLEN } from './outbox.js';
import { runScript, type RedisKeys, type ShardKeys } from './schema.js';

/** Outbox entries one apply-effects.lua call takes: a bounded script run, however far behind. */
const BATCH = 200;

/** One counted prompt of a fold (commit-fold.lua): its young-population hour and releases. */
interface CountedPrompt {
  h: string | false;
  t: number;
  r: [string, 0 | 1][];
}

/** Operations over declared keys, in the form apply-effects.lua runs them. */
class EffectPlan {
  readonly keys: string[] = [];
  readonly ops: (string | number)[][] = [];
  private readonly index = new Map<string, number>();

  add(op: string, key: string, ...args: (string | number)[]): void {
    let i = this.index.get(key);
    // KEYS[1] is the cursors hash, so operation keys start at 2.
    if (i === undefined) this.index.set(key, (i = this.keys.push(key) + 1));
    this.ops.push([op, i, ...args]);
  }
}

/**
 * Applies the effects a shard's commits left in its outbox (commit-fold.lua, drop-prompts.lua) to
 * the keys read across accounts: the score index, tier-raise events, the fleet monitors and the
 * release sets. Each entry is applied exactly once and in order; returns how many were applied.
 */
export async function applyShardEffects(redis: Redis, keys: RedisKeys, shard: ShardKeys): Promise<number> {
  let applied = 0;
  for (;;) {
    const cursor = (await redis.hget(keys.relayCursors, String(shard.shard))) ?? '0';
    const entries = (await redis.xrange(shard.outbox, cursor === '0' ? '-' : `(${cursor}`, '+', 'COUNT', BATCH)) as [string, string[]][];
    if (entries.length === 0) return applied;
    const plan = await planEffects(redis, keys, entries);
    const last = entries.at(-1)![0];
    if ((await runScript(redis, 'applyEffects', [keys.relayCursors, ...plan.keys], [shard.shard, cursor, last, JSON.stringify(plan.ops)])) === 1) {
      applied += entries.length;
      // Entries up to the cursor are applied; the one at it stays as the read position's witness.
      await redis.xtrim(shard.outbox, 'MINID', last);
    }
  }
}

/** Every shard's outbox, one after another. */
export async function applyAllEffects(redis: Redis, keys: RedisKeys): Promise<number> {
  let applied = 0;
  for (const shard of keys.shards) applied += await applyShardEffects(redis, keys, shard);
  return applied;
}

async function planEffects(redis: Redis, keys: RedisKeys, entries: [string, string[]][]): Promise<EffectPlan> {
  const plan = new EffectPlan();
  // An account that leaves must leave every young-hour and release set: read them once per batch.
  let monitorSets: Promise<{ hours: string[]; releases: string[] }> | undefined;
  const setsHolding = () =>
    (monitorSets ??= Promise.all([redis.hkeys(keys.fleetYoung), redis.smembers(keys.releases)]).then(([hours, releases]) => ({
      hours: hours.filter((f) => !f.endsWith(':t')).map((h) => keys.fleetYoungHour(h)),
      releases: releases.flatMap((r) => [keys.releaseExposed(r), keys.releaseAdopted(r)]),
    })));
  for (const [, flat] of entries) {
    const f: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
    const aid = f.a!;
    if (f.k === 'drop') {
      plan.add('zrem', keys.scores, aid);
      const sets = await setsHolding();
      for (const key of sets.hours) plan.add('zrem', key, aid);
      for (const key of sets.releases) plan.add('srem', key, aid);
      continue;
    }
    plan.add('zadd', keys.scores, f.s!, aid);
    if (f.e) plan.add('xadd', keys.events, OUTBOX_MAXLEN, 'type', 'account.tier_raised', 'data', f.e);
    for (const c of listOf<CountedPrompt>(JSON.parse(f.f ?? '[]'))) {
      if (c.h !== false) {
        plan.add('hincrby', keys.fleetYoung, c.h, 1);
        plan.add('hincrby', keys.fleetYoung, `${c.h}:t`, c.t);
        plan.add('zincrby', keys.fleetYoungHour(c.h), 1, aid);
      }
      for (const [release, adopted] of listOf<[string, 0 | 1]>(c.r)) {
        plan.add('sadd', keys.releases, release);
        plan.add('sadd', keys.releaseExposed(release), aid);
        if (adopted === 1) plan.add('sadd', keys.releaseAdopted(release), aid);
      }
    }
  }
  return plan;
}

/** Lua's cjson writes an empty list as `{}`. */
function listOf<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}
