/**
 * Where prompt bodies (text and metadata, encoded by the store) live when they are kept out of
 * Redis: RAM holds records, counters and queues, and the archive the bulk that analysts read a page
 * at a time. Writes are idempotent, so a commit retried after a crash writes nothing twice.
 */
export interface PromptArchive {
  /** Stores bodies not stored yet (an existing (account, prompt) is left as it is). */
  put(rows: readonly { accountId: string; promptId: string; ts: number; body: Buffer }[]): Promise<void>;
  /** Bodies by prompt, keyed `accountId\u0000promptId`; a ref without its account matches any account's. */
  get(refs: readonly { promptId: string; accountId?: string | undefined }[]): Promise<Map<string, Buffer>>;
  /** Forgets the account's named prompts (erasure and retention). */
  delete(accountId: string, promptIds: readonly string[]): Promise<void>;
}

export const archiveKey = (accountId: string, promptId: string) => `${accountId}\u0000${promptId}`;
