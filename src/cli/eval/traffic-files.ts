import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TrafficLabel {
  accountId: string;
  label: 'organic' | 'extraction';
  archetype: string;
  campaign: string | null;
  prompts: number;
}

/** Builds labeled traffic with ../shared/tools/make-traffic.mjs into `outDir`. */
export async function makeTraffic(opts: { tool: string; scenario: string; pools: string; outDir: string; seed?: number; scale?: number }): Promise<void> {
  const args = [opts.tool, '--scenario', opts.scenario, '--pools', opts.pools, '--out', opts.outDir];
  if (opts.seed !== undefined) args.push('--seed', String(opts.seed));
  if (opts.scale !== undefined) args.push('--scale', String(opts.scale));
  await run(process.execPath, args, { maxBuffer: 16 << 20 });
}

export async function readLabels(dir: string): Promise<TrafficLabel[]> {
  const text = await readFile(path.join(dir, 'labels.jsonl'), 'utf8');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as TrafficLabel);
}
