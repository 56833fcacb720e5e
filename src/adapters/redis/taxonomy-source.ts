import { loadTaxonomy } from '../files/model-files.js';
import type { Redis } from 'ioredis';
import type { Embedder } from '../../model/ports/embedder.js';
import { buildClassifier, type Classifier } from '../../model/scoring/classifier.js';
import { taxonomySchema, type Taxonomy } from '../../model/scoring/taxonomy.js';
import type { RedisKeys } from './schema.js';

/**
 * The taxonomy in force: the one an admin stored in Redis, else the file shipped with the service.
 * Every worker process asks for the version before each batch (one GET) and rebuilds its classifier
 * when it changed, so an edit reaches all workers without a restart.
 */
export class TaxonomySource {
  private cached: { version: string; classifier: Classifier } | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly file: string,
    private readonly embedder: Embedder,
  ) {}

  async current(): Promise<Classifier> {
    const stored = await this.redis.get(this.keys.taxonomyVersion);
    const version = stored ?? `file:${this.file}`;
    if (this.cached?.version !== version) {
      const taxonomy = stored ? await this.stored() : await loadTaxonomy(this.file);
      this.cached = { version, classifier: await buildClassifier(taxonomy, this.embedder) };
    }
    return this.cached.classifier;
  }

  private stored(): Promise<Taxonomy> {
    return readStoredTaxonomy(this.redis, this.keys);
  }
}

async function readStoredTaxonomy(redis: Redis, keys: RedisKeys): Promise<Taxonomy> {
  return taxonomySchema.parse(JSON.parse((await redis.get(keys.taxonomy)) ?? 'null'));
}

/** The taxonomy in force and its revision (`file:<path>` until an admin stores one). */
export async function activeTaxonomy(redis: Redis, keys: RedisKeys, file: string): Promise<{ revision: string; taxonomy: Taxonomy }> {
  const revision = await redis.get(keys.taxonomyVersion);
  return revision ? { revision, taxonomy: await readStoredTaxonomy(redis, keys) } : { revision: `file:${file}`, taxonomy: await loadTaxonomy(file) };
}

/** Makes `taxonomy` the one in force; returns the revision id that re-classification runs under. */
export async function storeTaxonomy(redis: Redis, keys: RedisKeys, taxonomy: Taxonomy): Promise<string> {
  const revision = `${taxonomy.version}-${Date.now()}`;
  await redis.multi().set(keys.taxonomy, JSON.stringify(taxonomy)).set(keys.taxonomyVersion, revision).exec();
  return revision;
}
