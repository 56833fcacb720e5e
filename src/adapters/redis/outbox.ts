import type { ChainableCommander, Redis } from 'ioredis';
import type { Queues } from '../../../jobs/registry.js';
import type { RedisKeys } from './schema.js';

const BATCH = 500;

/** Events kept in the stream (approximately): the webhook relay and readers work well within it. */
export const OUTBOX_MAXLEN = 100_000;

export type EventType = 'account.tier_raised' | 'campaign.tier_raised' | 'campaign.release_pivot' | 'fleet.rate_alert';

/**
 * The events stream is an outbox: every event is appended here (or, for a tier raise, by
 * commit-fold.lua with OUTBOX_MAXLEN) in the same transaction as the state change it reports, and
 * the relay below turns entries after its cursor into webhook jobs.
 */
export function appendEvent(tx: ChainableCommander, keys: RedisKeys, type: EventType, data: unknown): ChainableCommander {
  return tx.xadd(keys.events, 'MAXLEN', '~', OUTBOX_MAXLEN, '*', 'type', type, 'data', JSON.stringify(data));
}

/** Jobs have the event's id, so a relay that dies between enqueueing and moving the cursor re-enqueues nothing new. */
export async function relayEvents(redis: Redis, keys: RedisKeys, queues: Queues): Promise<number> {
  const cursor = (await redis.get(keys.webhookCursor)) ?? '0';
  const entries = (await redis.xrange(keys.events, `(${cursor}`, '+', 'COUNT', BATCH)) as [string, string[]][];
  for (const [id, fields] of entries) {
    const f = fieldsOf(fields);
    await queues.enqueue('webhook', { eventId: id, type: f.type ?? 'unknown', data: f.data ?? '{}' });
    await redis.set(keys.webhookCursor, id);
  }
  return entries.length;
}

export interface StoredEvent {
  id: string;
  type: string;
  data: unknown;
}

export async function readEvents(redis: Redis, keys: RedisKeys, after: string, limit: number): Promise<StoredEvent[]> {
  const entries = (await redis.xrange(keys.events, after === '0' ? '-' : `(${after}`, '+', 'COUNT', limit)) as [string, string[]][];
  return entries.map(([id, fields]) => {
    const f = fieldsOf(fields);
    return { id, type: f.type ?? 'unknown', data: JSON.parse(f.data ?? '{}') as unknown };
  });
}

/** A stream entry's flat [field, value, ...] list as an object. */
function fieldsOf(fields: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) out[fields[i]!] = fields[i + 1]!;
  return out;
}
