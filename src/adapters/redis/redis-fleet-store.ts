import type { Redis } from 'ioredis';
import type { FleetRateAlert, FleetStore } from '../../app/fleet-monitor.js';
import type { HourRate } from '../../model/fleet/fleet-counts.js';
import { appendEvent } from './outbox.js';
import type { RedisKeys } from './schema.js';

const RECENT_ALERTS = 100;

/** The population monitors' counters, written by the fold script (redis-account-store.ts). */
export class RedisFleetStore implements FleetStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** One read of the whole retained series: the monitor trims it to twice its baseline. */
  async youngSeries(): Promise<Map<number, HourRate>> {
    const out = new Map<number, HourRate>();
    const all = await this.redis.hgetall(this.keys.fleetYoung);
    for (const [field, value] of Object.entries(all)) {
      const tokens = field.endsWith(':t');
      const hour = Number(tokens ? field.slice(0, -2) : field);
      const r = out.get(hour) ?? { hour, prompts: 0, outputTokens: 0 };
      if (tokens) r.outputTokens = Number(value);
      else r.prompts = Number(value);
      out.set(hour, r);
    }
    return out;
  }

  async alertedHours(): Promise<Set<number>> {
    return new Set((await this.redis.hkeys(this.keys.fleetAlerted)).map(Number));
  }

  async topYoungAccounts(hour: number, limit: number): Promise<{ accountId: string; prompts: number }[]> {
    const flat = await this.redis.zrevrange(this.keys.fleetYoungHour(hour), 0, limit - 1, 'WITHSCORES');
    const out: { accountId: string; prompts: number }[] = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ accountId: flat[i]!, prompts: Number(flat[i + 1]) });
    return out;
  }

  async recordAlerts(alerts: readonly FleetRateAlert[], drop: { hours: readonly number[]; alerted: readonly number[] }): Promise<void> {
    const tx = this.redis.multi();
    for (const a of alerts) {
      appendEvent(tx, this.keys, 'fleet.rate_alert', a).lpush(this.keys.fleetAlerts, JSON.stringify(a)).hset(this.keys.fleetAlerted, a.hour, a.at);
    }
    tx.ltrim(this.keys.fleetAlerts, 0, RECENT_ALERTS - 1);
    if (drop.hours.length) tx.hdel(this.keys.fleetYoung, ...drop.hours.flatMap((h) => [String(h), `${h}:t`]));
    for (const h of drop.hours) tx.del(this.keys.fleetYoungHour(h));
    if (drop.alerted.length) tx.hdel(this.keys.fleetAlerted, ...drop.alerted.map(String));
    await tx.exec();
  }

  async recentAlerts(limit: number): Promise<FleetRateAlert[]> {
    return (await this.redis.lrange(this.keys.fleetAlerts, 0, limit - 1)).map((s) => JSON.parse(s) as FleetRateAlert);
  }

}
