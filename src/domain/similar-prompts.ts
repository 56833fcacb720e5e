import type { VectorIndex } from './vector-index.js';

export interface IndexEntry {
  label: number;
  promptId: string;
  accountId: string;
  vector: Float32Array;
}

export interface SimilarQuery {
  k: number;
  /** Only prompts of this account. */
  accountId?: string;
  /** Leave this account out, e.g. to find who else sends what an account sends. */
  excludeAccountId?: string;
}

export interface SimilarHit {
  label: number;
  promptId: string;
  accountId: string;
  similarity: number;
}

export interface CatalogSnapshot {
  accounts: string[];
  /** [label, promptId, account index] */
  entries: [number, string, number][];
}

/**
 * The vector index plus what a label stands for, so a search answers with prompt and account ids
 * without a store round trip, and account filters run inside the graph walk.
 */
export class SimilarPrompts {
  private readonly promptIds = new Map<number, string>();
  private readonly accountOf = new Map<number, number>();
  private readonly accounts: string[] = [];
  private readonly accountIndex = new Map<string, number>();

  constructor(readonly index: VectorIndex, snapshot?: CatalogSnapshot) {
    if (!snapshot) return;
    for (const name of snapshot.accounts) this.internAccount(name);
    for (const [label, promptId, account] of snapshot.entries) {
      this.promptIds.set(label, promptId);
      this.accountOf.set(label, account);
    }
  }

  get size(): number {
    return this.index.size;
  }

  add(entry: IndexEntry): void {
    this.index.add(entry.label, entry.vector);
    this.promptIds.set(entry.label, entry.promptId);
    this.accountOf.set(entry.label, this.internAccount(entry.accountId));
  }

  vectorOf(label: number): Float32Array | undefined {
    return this.index.vectorOf(label);
  }

  remove(label: number): void {
    this.index.remove(label);
    this.promptIds.delete(label);
    this.accountOf.delete(label);
  }

  search(vector: Float32Array, query: SimilarQuery): SimilarHit[] {
    let filter: ((label: number) => boolean) | undefined;
    if (query.accountId !== undefined) {
      const only = this.accountIndex.get(query.accountId);
      if (only === undefined) return [];
      filter = (label) => this.accountOf.get(label) === only;
    } else if (query.excludeAccountId !== undefined) {
      const excluded = this.accountIndex.get(query.excludeAccountId);
      if (excluded !== undefined) filter = (label) => this.accountOf.get(label) !== excluded;
    }
    const hits: SimilarHit[] = [];
    for (const n of this.index.search(vector, query.k, filter)) {
      const promptId = this.promptIds.get(n.label);
      const account = this.accountOf.get(n.label);
      if (promptId === undefined || account === undefined) continue;
      hits.push({ label: n.label, promptId, accountId: this.accounts[account] ?? '', similarity: n.similarity });
    }
    return hits;
  }

  snapshot(): CatalogSnapshot {
    const entries: [number, string, number][] = [];
    for (const [label, promptId] of this.promptIds) entries.push([label, promptId, this.accountOf.get(label) ?? 0]);
    return { accounts: [...this.accounts], entries };
  }

  private internAccount(accountId: string): number {
    let i = this.accountIndex.get(accountId);
    if (i === undefined) {
      i = this.accounts.length;
      this.accounts.push(accountId);
      this.accountIndex.set(accountId, i);
    }
    return i;
  }
}
