import type { Redis } from 'ioredis';

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

/** Reads the settings; a Redis that refuses CONFIG (some managed services) cannot be verified. */
export async function checkDurability(redis: Redis): Promise<DurabilityReport> {
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
