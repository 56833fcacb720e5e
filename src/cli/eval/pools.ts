import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** One labelled public prompt of ../shared/data/prompts. */
export interface PoolRow {
  text: string;
  kind: 'organic' | 'curriculum';
  /** The benchmark task or sub-source, where the pool names one. */
  category?: string;
}

export type Pools = Map<string, PoolRow[]>;

export async function readPools(dir: string, names: Iterable<string>): Promise<Pools> {
  const out: Pools = new Map();
  for (const name of names) {
    const text = await readFile(path.join(dir, `${name}.jsonl`), 'utf8');
    out.set(name, text.split('\n').filter(Boolean).map((l) => {
      const r = JSON.parse(l) as { text: string; kind: string; category?: string };
      if (r.kind !== 'organic' && r.kind !== 'curriculum') throw new Error(`${name}: kind must be organic or curriculum, got ${r.kind}`);
      return { text: r.text, kind: r.kind, ...(r.category ? { category: `${name}/${r.category}` } : {}) };
    }));
  }
  return out;
}

export interface ScenarioGroup {
  name: string;
  pools: Record<string, number>;
  organicPools?: Record<string, number>;
  [k: string]: unknown;
}

export interface Scenario {
  organic: ScenarioGroup[];
  campaigns: ScenarioGroup[];
  [k: string]: unknown;
}

export async function readScenario(file: string): Promise<Scenario> {
  return JSON.parse(await readFile(file, 'utf8')) as Scenario;
}

/** Every pool a scenario draws from: its pool family. */
export function scenarioPools(s: Scenario): Set<string> {
  const out = new Set<string>();
  for (const g of [...s.organic, ...s.campaigns]) for (const k of [...Object.keys(g.pools), ...Object.keys(g.organicPools ?? {})]) out.add(k);
  return out;
}

/** Pools too small to draw a calibration sample from are left out of it. */
const MIN_POOL_ROWS = 50;

/** Organic archetypes left with no pool to draw calibration traffic from (their texts all excluded). */
export function uncalibratedArchetypes(s: Scenario, pools: Pools): string[] {
  return s.organic.filter((g) => Object.keys(g.pools).every((k) => (pools.get(k)?.length ?? 0) < MIN_POOL_ROWS * 2)).map((g) => g.name);
}

/**
 * The scenario's organic customers only, drawing only on `pools` (rows per pool), written with
 * those pools to `dir` for make-traffic; archetypes left without a pool are dropped. Null when
 * nothing is left.
 */
export async function writeOrganicOnly(s: Scenario, pools: Pools, dir: string): Promise<string | null> {
  const usable = new Set([...pools].filter(([, rows]) => rows.length >= MIN_POOL_ROWS).map(([k]) => k));
  const organic = s.organic
    .map((g) => ({ ...g, pools: Object.fromEntries(Object.entries(g.pools).filter(([k]) => usable.has(k))) }))
    .filter((g) => Object.keys(g.pools).length > 0);
  if (!organic.length) return null;
  await mkdir(dir, { recursive: true });
  for (const k of usable) await writeFile(path.join(dir, `${k}.jsonl`), pools.get(k)!.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const file = path.join(dir, 'scenario.json');
  await writeFile(file, JSON.stringify({ ...s, organic, campaigns: [] }));
  return file;
}
