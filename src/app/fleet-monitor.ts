import { rateAlerts, type HourRate, type RateAlert } from '../model/fleet/fleet-counts.js';
import type { DetectionParams } from '../model/scoring/detection-params.js';

/** A rate alert as its event carries it: with the young accounts that sent most of that hour. */
export interface FleetRateAlert extends RateAlert {
  at: string;
  accounts: { accountId: string; prompts: number }[];
}

/** What the population monitor needs from storage; the Redis implementation lives in src/adapters/redis. */
export interface FleetStore {
  /** Young-population rates per hour, all hours kept, hours without traffic left out. */
  youngSeries(): Promise<Map<number, HourRate>>;
  /** Hours that already raised an alert: each hour alerts once. */
  alertedHours(): Promise<Set<number>>;
  topYoungAccounts(hour: number, limit: number): Promise<{ accountId: string; prompts: number }[]>;
  /** Saves the alerts (events, the recent list, the alerted hours) and drops the hours named, together. */
  recordAlerts(alerts: readonly FleetRateAlert[], drop: { hours: readonly number[]; alerted: readonly number[] }): Promise<void>;
}

/**
 * Judges the young population's hours of the last `baselineHours` (event time, so replayed traffic
 * is judged like live traffic) against the hours before each, as folded so far. Every sweep judges
 * them again, so samples folded late still count, and an hour that departs from its baseline raises
 * one alert, the first time it does. The hour still filling is judged too: a surge is reported while
 * it runs, not an hour later.
 */
export async function monitorFleet(store: FleetStore, params: DetectionParams['fleetMonitor']): Promise<{ judged: number; alerts: number }> {
  const series = await store.youngSeries();
  const span = hourSpan(series);
  if (!span) return { judged: 0, alerts: 0 };
  const from = Math.max(span.first, span.last - params.baselineHours);
  const alerted = await store.alertedHours();
  const candidates: number[] = [];
  for (let h = from; h <= span.last; h++) if (!alerted.has(h)) candidates.push(h);
  const at = new Date().toISOString();
  const alerts: FleetRateAlert[] = [];
  for (const a of rateAlerts(series, candidates, span.first, params)) alerts.push({ ...a, at, accounts: await store.topYoungAccounts(a.hour, params.topAccounts) });
  // Hours older than any candidate's baseline are no longer needed.
  const keepFrom = from - params.baselineHours;
  await store.recordAlerts(alerts, { hours: [...series.keys()].filter((h) => h < keepFrom), alerted: [...alerted].filter((h) => h < keepFrom) });
  return { judged: candidates.length, alerts: alerts.length };
}

/** The first and last hour with traffic, if any. */
export function hourSpan(series: ReadonlyMap<number, unknown>): { first: number; last: number } | null {
  if (!series.size) return null;
  const hours = [...series.keys()];
  return { first: Math.min(...hours), last: Math.max(...hours) };
}
