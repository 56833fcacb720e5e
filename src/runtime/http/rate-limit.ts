import type { Redis } from 'ioredis';
import type { Middleware } from 'koa';
import type { ApiKey, Config } from '../config.js';
import { RateLimitedError } from '../../app/errors.js';
import { runScript, type RedisKeys } from '../../adapters/redis/schema.js';
import type { Caller } from './auth.js';

export interface RateLimiter {
  /** Milliseconds the key must wait before this request would be admitted; 0 admits it. */
  take(key: ApiKey): Promise<number>;
}

/** A token bucket per key in Redis (take-token.lua), shared by every API process. */
export function redisRateLimiter(redis: Redis, keys: RedisKeys, config: Pick<Config, 'RATE_LIMIT_RPS' | 'RATE_LIMIT_BURST'>): RateLimiter {
  return {
    async take(key) {
      const rps = key.rps ?? config.RATE_LIMIT_RPS;
      if (rps === 0) return 0;
      const burst = key.burst ?? config.RATE_LIMIT_BURST ?? Math.max(1, Math.ceil(rps * 2));
      return (await runScript(redis, 'takeToken', [keys.rateLimit(key.name)], [rps, burst])) as number;
    },
  };
}

/** Keys are limited; with AUTH=none there is no one to attribute requests to, so nothing is. */
export function rateLimit(limiter: RateLimiter): Middleware {
  return async (ctx, next) => {
    const caller = ctx.state.caller as Caller | undefined;
    if (caller?.kind === 'key') {
      const waitMs = await limiter.take(caller.key);
      if (waitMs > 0) {
        ctx.set('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
        throw new RateLimitedError(`key ${caller.key.name} is over its rate limit; retry later`);
      }
    }
    await next();
  };
}
