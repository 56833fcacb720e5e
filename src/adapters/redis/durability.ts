import type { Redis } from 'ioredis';
import { masters } from './client.js';

/** The Redis settings the promise behind a 202 depends on, as CONFIG GET reports them. */
export interface DurabilitySettings {
  appendonly?: string;
  appendfsync?: string;
  'maxmemory-policy'?: string;
}

export interface DurabilityReport {
  settings: DurabilitySettings;
  /** What can lose acknowledged samples; empty when the configuration keeps them. */
  problems: string[];
  /** What the configuration can still lose when it has no problems. */
  window: string | null;
}

/**
 * Whether Redis keeps what the API acknowledged: an append-only file (without it a crash loses
 * everything since the last RDB snapshot), fsync by Redis itself (`no` leaves it to the OS, about
 * 30 s), and no eviction (any other policy drops prompts, queue entries or counters under memory
 * pressure, silently).
 */
export function durabilityOf(settings: DurabilitySettings): DurabilityReport {
  const problems: string[] = [];
  if (settings.appendonly !== 'yes') problems.push(`appendonly is ${settings.appendonly ?? 'unknown'} (needs yes: without it a crash loses everything since the last snapshot)`);
  else if (settings.appendfsync !== 'always' && settings.appendfsync !== 'everysec') {
    problems.push(`appendfsync is ${settings.appendfsync ?? 'unknown'} (needs always or everysec: with no, the OS decides when writes reach disk)`);
  }
  if (settings['maxmemory-policy'] !== 'noeviction') {
    problems.push(`maxmemory-policy is ${settings['maxmemory-policy'] ?? 'unknown'} (needs noeviction: other policies drop prompts and queued batches when memory runs out)`);
  }
  const window = problems.length ? null : settings.appendfsync === 'always' ? 'nothing acknowledged' : 'up to one second of acknowledged writes';
  return { settings, problems, window };
}

/**
 * Reads the settings of every server holding data (each master of a cluster); a Redis that refuses
 * CONFIG (some managed services) cannot be verified. A cluster's problems name the node.
 */
export async function checkDurability(redis: Redis): Promise<DurabilityReport> {
  const nodes = masters(redis);
  const reports = await Promise.all(nodes.map(readSettings));
  if (nodes.length === 1) return reports[0]!;
  const at = (i: number) => `${nodes[i]!.options.host}:${nodes[i]!.options.port}`;
  const problems = reports.flatMap((r, i) => r.problems.map((p) => `${at(i)}: ${p}`));
  // Without problems every node keeps at least a second's writes; the cluster loses what its laxest node does.
  const laxest = reports.find((r) => r.settings.appendfsync !== 'always') ?? reports[0]!;
  return { settings: laxest.settings, problems, window: problems.length ? null : laxest.window };
}

async function readSettings(redis: Redis): Promise<DurabilityReport> {
  const settings: DurabilitySettings = {};
  try {
    for (const name of ['appendonly', 'appendfsync', 'maxmemory-policy'] as const) {
      const [, value] = (await redis.call('CONFIG', 'GET', name)) as [string, string];
      settings[name] = value;
    }
  } catch (err) {
    return { settings, problems: [`cannot read Redis CONFIG (${(err as Error).message}): its persistence is unverified`], window: null };
  }
  return durabilityOf(settings);
}
