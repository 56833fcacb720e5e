export interface RetentionStore {
  accountPages(pageSize: number): AsyncIterable<string[]>;
  countAccounts(): Promise<number>;
  /** Drops the account's prompts older than `cutoff` (store and index) and the counts they made. */
  expireAccount(accountId: string, cutoff: number): Promise<{ dropped: number; left: number }>;
  /** Starts the account's profile over from the prompts it has left. */
  rebuildProfile(accountId: string): Promise<void>;
}

/**
 * Retention: prompts older than the cutoff go, and so does what they contributed to their account's
 * state (a profile is a sketch, not a sum, so it is rebuilt from what is left). Accounts left with
 * nothing are removed. Idempotent: a run that dies part-way is finished by the next.
 */
export async function expireOldPrompts(
  store: RetentionStore,
  cutoff: number,
  onProgress: (done: number, total: number) => Promise<void> | void = () => {},
): Promise<{ accounts: number; prompts: number }> {
  const total = await store.countAccounts();
  let done = 0;
  let accounts = 0;
  let prompts = 0;
  for await (const page of store.accountPages(200)) {
    for (const accountId of page) {
      const { dropped, left } = await store.expireAccount(accountId, cutoff);
      if (dropped > 0) {
        accounts++;
        prompts += dropped;
        if (left > 0) await store.rebuildProfile(accountId);
      }
    }
    done += page.length;
    await onProgress(done, total);
  }
  return { accounts, prompts };
}
