import type { Classification, Classifier } from '../model/scoring/classifier.js';
import type { Embedder } from '../model/ports/embedder.js';
import type { Sample } from '../model/sample.js';

export interface EmbeddedSample extends Sample {
  vector: Float32Array;
  classification: Classification;
}

/** A stored prompt's address: promptIds are unique within an account, whose shard holds them. */
export interface PromptRef {
  promptId: string;
  accountId: string;
}

/** What ingest needs from storage; the Redis implementation lives in src/adapters/redis. */
export interface PromptStore {
  /** The subset of promptIds whose samples are already stored. */
  findStored(refs: readonly PromptRef[]): Promise<Set<string>>;
  /**
   * Stores each sample that is not stored yet, counts it for its account, queues it for the
   * account's score and logs its vector for the index, all in one atomic step per sample.
   * Returns how many were new.
   */
  store(batchId: string, samples: readonly EmbeddedSample[]): Promise<number>;
}

export interface IngestResult {
  stored: number;
  alreadyStored: number;
}

const STORE_CHUNK = 250;

/**
 * Idempotent by construction, so a job retried after a crash at any point converges:
 * - before `store` nothing durable has happened, a retry starts over;
 * - `store` commits each sample atomically together with its counters and its index-log entry, and
 *   skips samples already committed, so a retry after a partial commit only does the remainder;
 * - the index is fed from the log, never directly, so it cannot see a sample the store lost.
 */
export async function ingestBatch(
  batchId: string,
  samples: readonly Sample[],
  deps: { embedder: Embedder; classifier: Classifier; store: PromptStore },
  onProgress: (done: number, total: number) => Promise<void> | void = () => {},
): Promise<IngestResult> {
  const stored = await deps.store.findStored(samples);
  const todo = samples.filter((s) => !stored.has(s.promptId));
  let committed = 0;
  for (let i = 0; i < todo.length; i += STORE_CHUNK) {
    const chunk = todo.slice(i, i + STORE_CHUNK);
    const vectors = await deps.embedder.embed(chunk.map((s) => s.text));
    committed += await deps.store.store(
      batchId,
      chunk.map((s, j) => ({ ...s, vector: vectors[j]!, classification: deps.classifier.classify(vectors[j]!, s.text) })),
    );
    await onProgress(Math.min(i + STORE_CHUNK, todo.length), todo.length);
  }
  return { stored: committed, alreadyStored: samples.length - committed };
}
