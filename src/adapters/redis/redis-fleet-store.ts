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

  async youngSeries(fromHour: number, toHour: number): Promise<Map<number, HourRate>> {
    const out = new Map<number, HourRate>();
    const all = await this.redis.hgetall(this.keys.fleetYoung);
    for (const [field, value] of Object.entries(all)) {
      const tokens = field.endsWith(':t');
      const hour = Number(tokens ? field.slice(0, -2) : field);
      if (hour < fromHour || hour > toHour) continue;
      const r = out.get(hour) ?? { hour, prompts: 0, outputTokens: 0 };
      if (tokens) r.outputTokens = Number(value);
      else r.prompts = Number(value);
      out.set(hour, r);
    }
    return out;
  }

  async youngHours(): Promise<{ first: number; last: number } | null> {
    const hours = (await this.redis.hkeys(this.keys.fleetYoung)).filter((f) => !f.endsWith(':t')).map(Number);
    return hours.length ? { first: Math.min(...hours), last: Math.max(...hours) } : null;
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

  async recordAlerts(alerts: readonly FleetRateAlert[], keepFrom: number): Promise<void> {
    const tx = this.redis.multi();
    for (const a of alerts) {
      appendEvent(tx, this.keys, 'fleet.rate_alert', a).lpush(this.keys.fleetAlerts, JSON.stringify(a)).hset(this.keys.fleetAlerted, a.hour, a.at);
    }
    tx.ltrim(this.keys.fleetAlerts, 0, RECENT_ALERTS - 1);
    const [young, alerted] = await Promise.all([this.redis.hkeys(this.keys.fleetYoung), this.redis.hkeys(this.keys.fleetAlerted)]);
    const old = young.filter((f) => Number(f.replace(/:t$/, '')) < keepFrom);
    if (old.length) tx.hdel(this.keys.fleetYoung, ...old);
    for (const f of old) if (!f.endsWith(':t')) tx.del(this.keys.fleetYoungHour(Number(f)));
    const oldAlerted = alerted.filter((h) => Number(h) < keepFrom);
    if (oldAlerted.length) tx.hdel(this.keys.fleetAlerted, ...oldAlerted);
    await tx.exec();
  }

  async recentAlerts(limit: number): Promise<FleetRateAlert[]> {
    return (await this.redis.lrange(this.keys.fleetAlerts, 0, limit - 1)).map((s) => JSON.parse(s) as FleetRateAlert);
  }

}
