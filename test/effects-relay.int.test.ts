import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { applyShardEffects } from '../src/adapters/redis/effects-relay.js';
import { deletePrefix, redisKeys } from '../src/adapters/redis/schema.js';
import { REDIS_URL } from './helpers/service.js';

const prefix = `t-effects-${randomBytes(4).toString('hex')}`;
const redis = new Redis(REDIS_URL);
const keys = redisKeys(prefix, { shards: 2, tagged: true });
afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

/** An outbox entry as commit-fold.lua writes it: a fold of `counted` first-counted prompts in `hour`. */
const fold = (shard: number, accountId: string, score: number, counted: number, hour: string, event = '') =>
  redis.xadd(keys.shards[shard]!.outbox, '*', 'k', 'fold', 'a', accountId, 's', String(score), 'e', event, 'f', JSON.stringify(Array.from({ length: counted }, () => ({ h: hour, t: 10, r: [['model-next', 1]] }))));

describe('a shard outbox carried to the global keys', () => {
  it('applies every entry exactly once, in order, however many relays run at once', async () => {
    for (let i = 0; i < 450; i++) await fold(0, `a-${i % 30}`, i, 2, '500');
    await fold(0, 'a-0', 0.99, 0, '500', JSON.stringify({ accountId: 'a-0', to: 'review' }));
    await fold(1, 'b-0', 0.5, 3, '501');

    const applied = await Promise.all([0, 0, 0, 1].map((s) => applyShardEffects(redis, keys, keys.shards[s]!)));
    expect(applied.slice(0, 3).reduce((a, b) => a + b, 0)).toBe(451);
    expect(applied[3]).toBe(1);

    expect(await redis.hgetall(keys.fleetYoung)).toEqual({ '500': '900', '500:t': '9000', '501': '3', '501:t': '30' });
    expect(await redis.zscore(keys.fleetYoungHour(500), 'a-7')).toBe('30');
    expect(await redis.smembers(keys.releaseAdopted('model-next'))).toHaveLength(31);
    // The last fold of each account sets its score.
    expect(Number(await redis.zscore(keys.scores, 'a-0'))).toBe(0.99);
    expect(await redis.zscore(keys.scores, 'a-29')).toBe('449');
    expect((await redis.xrange(keys.events, '-', '+')).map(([, f]) => f[1])).toEqual(['account.tier_raised']);
    // Applied entries leave the outbox but the last, which marks the read position.
    expect(await redis.xlen(keys.shards[0]!.outbox)).toBe(1);
    expect(await applyShardEffects(redis, keys, keys.shards[0]!)).toBe(0);
  });

  it('takes an emptied account out of the score index and every monitor set', async () => {
    await redis.xadd(keys.shards[0]!.outbox, '*', 'k', 'drop', 'a', 'a-7');
    expect(await applyShardEffects(redis, keys, keys.shards[0]!)).toBe(1);
    expect(await redis.zscore(keys.scores, 'a-7')).toBeNull();
    expect(await redis.zscore(keys.fleetYoungHour(500), 'a-7')).toBeNull();
    expect(await redis.sismember(keys.releaseExposed('model-next'), 'a-7')).toBe(0);
    expect(await redis.sismember(keys.releaseAdopted('model-next'), 'a-7')).toBe(0);
    // Counts stay: they are the population's, not the account's.
    expect(await redis.hget(keys.fleetYoung, '500')).toBe('900');
  });
});
