import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import type { ApiKey, Config } from '../config.js';
import { ForbiddenError, UnauthorizedError } from '../../app/errors.js';
import type { Scope } from './scopes.js';

/** Who is calling: a configured key, or anyone at all when AUTH=none. Unset: no valid key. */
export type Caller = { kind: 'key'; key: ApiKey } | { kind: 'open' };

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Finds the configured key a presented secret hashes to, in time that does not depend on which key, if any, matched. */
export function keyring(keys: readonly ApiKey[]): (presented: string) => ApiKey | undefined {
  const hashes = keys.map((k) => Buffer.from(k.sha256, 'hex'));
  return (presented) => {
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    let found: ApiKey | undefined;
    for (let i = 0; i < keys.length; i++) if (timingSafeEqual(digest, hashes[i]!)) found = keys[i];
    return found;
  };
}

/** Sets ctx.state.caller for the routes' scope checks; rejects nothing itself, so /live and /ready stay open. */
export function authenticate(config: Pick<Config, 'AUTH' | 'API_KEYS'>): Middleware {
  const find = keyring(config.API_KEYS);
  return async (ctx, next) => {
    if (config.AUTH === 'none') ctx.state.caller = { kind: 'open' } satisfies Caller;
    else {
      const token = /^Bearer +(\S+) *$/i.exec(ctx.get('authorization'))?.[1];
      const key = token === undefined ? undefined : find(token);
      if (key) ctx.state.caller = { kind: 'key', key } satisfies Caller;
    }
    await next();
  };
}

/** A route's access rule: `any` admits every valid key. */
export function requireScope(scope: Scope | 'any', ...alternatives: Scope[]): Middleware {
  return async (ctx, next) => {
    const caller = ctx.state.caller as Caller | undefined;
    if (!caller) {
      ctx.set('WWW-Authenticate', 'Bearer realm="distill-radar"');
      throw new UnauthorizedError('a valid API key is required: Authorization: Bearer <key>');
    }
    const accepted = scope === 'any' ? [] : [scope, ...alternatives, 'admin'];
    if (caller.kind === 'key' && scope !== 'any' && !accepted.some((s) => caller.key.scopes.includes(s as Scope))) {
      throw new ForbiddenError(`key ${caller.key.name} lacks the ${[scope, ...alternatives].join(' or ')} scope this endpoint needs`);
    }
    await next();
  };
}
