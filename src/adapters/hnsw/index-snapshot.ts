import type { ClustersSnapshot } from '../../model/search/prompt-clusters.js';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CatalogSnapshot } from '../../model/search/similar-prompts.js';
import { HnswVectorIndex, type HnswParams } from './hnsw-index.js';

export interface SnapshotState {
  /** Per shard (schema.ts), the last index-log entry the snapshot contains; replay resumes after it. */
  lastLogIds: string[];
  model: string;
  dimension: number;
  size: number;
  writtenAt: string;
}

export interface LoadedSnapshot {
  lexical: string | null;
  clusters: ClustersSnapshot | null;
  state: SnapshotState;
  index: HnswVectorIndex;
  catalog: CatalogSnapshot;
}

export class IndexModelMismatchError extends Error {}

/*
 * Each snapshot is a directory of its own; the CURRENT file names the complete one and is replaced
 * by rename, so a crash while writing leaves the previous snapshot in force.
 */
export async function writeSnapshot(
  dir: string,
  state: SnapshotState,
  index: HnswVectorIndex,
  catalog: CatalogSnapshot,
  /** The word index over the same prompts, serialised. */
  lexical: string,
  clusters: ClustersSnapshot,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const name = `snap-${Date.now()}`;
  const target = path.join(dir, name);
  await mkdir(target, { recursive: true });
  await index.save(path.join(target, 'hnsw.bin'));
  await writeFile(path.join(target, 'catalog.json'), JSON.stringify(catalog));
  await writeFile(path.join(target, 'deleted.json'), JSON.stringify(index.deletedLabels()));
  await writeFile(path.join(target, 'lexical.json'), lexical);
  await writeFile(path.join(target, 'clusters.json'), JSON.stringify(clusters));
  await writeFile(path.join(target, 'state.json'), JSON.stringify(state, null, 2));
  await writeFile(path.join(dir, 'CURRENT.tmp'), name);
  await rename(path.join(dir, 'CURRENT.tmp'), path.join(dir, 'CURRENT'));
  for (const entry of await readdir(dir)) {
    if (entry.startsWith('snap-') && entry !== name) await rm(path.join(dir, entry), { recursive: true, force: true });
  }
}

export async function readSnapshot(
  dir: string,
  expect: { model: string; dimension: number },
  params: HnswParams,
): Promise<LoadedSnapshot | undefined> {
  let name: string;
  try {
    name = (await readFile(path.join(dir, 'CURRENT'), 'utf8')).trim();
  } catch {
    return undefined;
  }
  const target = path.join(dir, name);
  // Snapshots from before shards hold one log position.
  const stored = JSON.parse(await readFile(path.join(target, 'state.json'), 'utf8')) as SnapshotState & { lastLogId?: string };
  const { lastLogId, ...rest } = stored;
  const state: SnapshotState = lastLogId === undefined ? rest : { ...rest, lastLogIds: [lastLogId] };
  if (state.model !== expect.model || state.dimension !== expect.dimension) {
    throw new IndexModelMismatchError(
      `the index in ${dir} was built with model ${state.model} (${state.dimension}-d), ` +
        `but EMBED_MODEL is ${expect.model} (${expect.dimension}-d); use that model or another DATA_DIR`,
    );
  }
  const deleted = new Set(JSON.parse(await readFile(path.join(target, 'deleted.json'), 'utf8').catch(() => '[]')) as number[]);
  const index = await HnswVectorIndex.load(path.join(target, 'hnsw.bin'), state.dimension, params, deleted);
  const catalog = JSON.parse(await readFile(path.join(target, 'catalog.json'), 'utf8')) as CatalogSnapshot;
  // A snapshot from before word search has none: its prompts are found by vector only.
  const lexical = await readFile(path.join(target, 'lexical.json'), 'utf8').catch(() => null);
  const clusters = await readFile(path.join(target, 'clusters.json'), 'utf8').then((j) => JSON.parse(j) as ClustersSnapshot, () => null);
  return { state, index, catalog, lexical, clusters };
}
