import type { Redis } from 'ioredis';
import { MaxRetriesPerRequestError } from 'ioredis/built/errors/index.js';

/** Socket errors that mean the server is unreachable, by their errno code. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTCONN']);

/**
 * Whether an error means Redis is away rather than a bug: the client gave up retrying, the socket
 * failed, or the client is not connected (then any command error, such as "Connection is closed"
 * or a refused offline queue, is the outage itself). Read from types, codes and the client's
 * state, never from message text.
 */
export function redisOutage(client: Pick<Redis, 'status'>): (err: unknown) => boolean {
  return (err) => {
    if (err instanceof MaxRetriesPerRequestError) return true;
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    if (typeof code === 'string' && UNREACHABLE.has(code)) return true;
    return err instanceof Error && client.status !== 'ready';
  };
}
