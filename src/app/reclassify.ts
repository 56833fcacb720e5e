import type { Classification, Classifier } from '../model/scoring/classifier.js';
import type { Embedder } from '../model/ports/embedder.js';

export interface ReclassifyStore {
  /** Every account with stored prompts, a page at a time. */
  accountPages(pageSize: number): AsyncIterable<string[]>;
  countAccounts(): Promise<number>;
  promptsOf(accountId: string): Promise<{ promptId: string; text: string }[]>;
  saveClassifications(accountId: string, updates: { promptId: string; classification: Classification }[]): Promise<void>;
  /** Starts the account's profile over from all its stored prompts (folded by the next score sweep). */
  rebuildProfile(accountId: string): Promise<void>;
}

const EMBED_CHUNK = 1000;

/**
 * Re-classifies every stored prompt with a new taxonomy and rebuilds each account's profile from
 * them. Prompts are re-embedded from their text (the log that carried their vectors is trimmed);
 * a run that dies part-way is simply run again, since each step overwrites rather than adds.
 */
export async function reclassifyAll(
  store: ReclassifyStore,
  deps: { embedder: Embedder; classifier: Classifier },
  onProgress: (done: number, total: number) => Promise<void> | void = () => {},
): Promise<{ accounts: number; prompts: number }> {
  const total = await store.countAccounts();
  let accounts = 0;
  let prompts = 0;
  for await (const page of store.accountPages(100)) {
    for (const accountId of page) {
      const stored = await store.promptsOf(accountId);
      for (let i = 0; i < stored.length; i += EMBED_CHUNK) {
        const chunk = stored.slice(i, i + EMBED_CHUNK);
        const vectors = await deps.embedder.embed(chunk.map((p) => p.text));
        await store.saveClassifications(accountId, chunk.map((p, j) => ({ promptId: p.promptId, classification: deps.classifier.classify(vectors[j]!, p.text) })));
      }
      await store.rebuildProfile(accountId);
      prompts += stored.length;
      accounts++;
    }
    await onProgress(accounts, total);
  }
  return { accounts, prompts };
}
