import type { Redis } from 'ioredis';
import type { Middleware } from 'koa';
import type { ApiKey, Config } from '../config.js';
import { RateLimitedError } from '../../app/errors.js';
import type { Caller } from './auth.js';

/*
 * A token bucket per key, refilled at `rps` up to `burst`, kept in Redis so every API process shares
 * it. Redis's clock is used so processes with skewed clocks agree. Returns 0 when a token was taken,
 * else the milliseconds until one will be there.
 */
const TAKE_SCRIPT = `
local rps, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(b[1]) or burst, tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rps / 1000)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rps) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rps) + 1000)
return wait
`;

export interface RateLimiter {
  /** Milliseconds the key must wait before this request would be admitted; 0 admits it. */
  take(key: ApiKey): Promise<number>;
}

export function redisRateLimiter(redis: Redis, prefix: string, config: Pick<Config, 'RATE_LIMIT_RPS' | 'RATE_LIMIT_BURST'>): RateLimiter {
  return {
    async take(key) {
      const rps = key.rps ?? config.RATE_LIMIT_RPS;
      if (rps === 0) return 0;
      const burst = key.burst ?? config.RATE_LIMIT_BURST ?? Math.max(1, Math.ceil(rps * 2));
      return (await redis.eval(TAKE_SCRIPT, 1, `${prefix}:ratelimit:${key.name}`, rps, burst)) as number;
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
