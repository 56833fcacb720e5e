import type { Redis } from 'ioredis';
import { MaxRetriesPerRequestError } from 'ioredis/built/errors/index.js';

/** Socket errors that mean the server is unreachable, by their errno code. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTCONN']);

/** A request that failed this soon after the connection was lost failed with it. */
const RECENT_MS = 5000;

/** Errors that are our bugs whatever the connection's state. */
const BUGS = [TypeError, RangeError, ReferenceError, SyntaxError];

/**
 * Whether an error means Redis is away rather than a bug: the client gave up retrying, the socket
 * failed, or the connection is down, not writable (a socket the server closed, before the client
 * has noticed), or was lost moments ago (then a command's "Connection is closed" or a refused
 * offline queue is the outage itself, even if the client has reconnected by the time the error is
 * handled). Read from types, codes and the client's state, never from message text.
 */
export function redisOutage(client: Pick<Redis, 'status' | 'on' | 'stream'>): (err: unknown) => boolean {
  let lostAt = -Infinity;
  for (const event of ['close', 'reconnecting', 'end']) client.on(event, () => (lostAt = Date.now()));
  return (err) => {
    if (err instanceof MaxRetriesPerRequestError) return true;
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    if (typeof code === 'string' && UNREACHABLE.has(code)) return true;
    if (!(err instanceof Error) || BUGS.some((t) => err instanceof t)) return false;
    return client.status !== 'ready' || client.stream?.writable === false || Date.now() - lostAt < RECENT_MS;
  };
}
