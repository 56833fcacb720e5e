import { rateAlerts, type HourRate, type RateAlert } from '../fleet/fleet-counts.js';
import type { DetectionParams } from '../scoring/detection-params.js';

/** A rate alert as its event carries it: with the young accounts that sent most of that hour. */
export interface FleetRateAlert extends RateAlert {
  at: string;
  accounts: { accountId: string; prompts: number }[];
}

/** What the population monitor needs from storage; the Redis implementation lives in src/stores. */
export interface FleetStore {
  /** Young-population rates per hour over [from, to], hours without traffic left out. */
  youngSeries(fromHour: number, toHour: number): Promise<Map<number, HourRate>>;
  /** The first and last hour with young-population traffic, if any. */
  youngHours(): Promise<{ first: number; last: number } | null>;
  /** The last hour already judged: alerts are raised once, in hour order. */
  watermark(): Promise<number | null>;
  topYoungAccounts(hour: number, limit: number): Promise<{ accountId: string; prompts: number }[]>;
  /** Saves the alerts (events and the recent list), moves the watermark and drops hours older than `keepFrom`, together. */
  recordAlerts(alerts: readonly FleetRateAlert[], watermark: number, keepFrom: number): Promise<void>;
}

/**
 * Judges every young-population hour that is complete (an hour is complete once traffic of a later
 * hour has been folded: event time, so replayed traffic is judged like live traffic) and not yet
 * judged, against the hours before it. Late samples for a judged hour still count in its rate but
 * raise no second alert.
 */
export async function monitorFleet(store: FleetStore, params: DetectionParams['fleetMonitor']): Promise<{ judged: number; alerts: number }> {
  const span = await store.youngHours();
  if (!span) return { judged: 0, alerts: 0 };
  const done = (await store.watermark()) ?? span.first - 1;
  const candidates: number[] = [];
  for (let h = Math.max(done + 1, span.first); h < span.last; h++) candidates.push(h);
  if (!candidates.length) return { judged: 0, alerts: 0 };
  const series = await store.youngSeries(Math.max(span.first, candidates[0]! - params.baselineHours), span.last - 1);
  const at = new Date().toISOString();
  const alerts: FleetRateAlert[] = [];
  for (const a of rateAlerts(series, candidates, span.first, params)) alerts.push({ ...a, at, accounts: await store.topYoungAccounts(a.hour, params.topAccounts) });
  await store.recordAlerts(alerts, candidates[candidates.length - 1]!, span.last - params.baselineHours - 1);
  return { judged: candidates.length, alerts: alerts.length };
}
