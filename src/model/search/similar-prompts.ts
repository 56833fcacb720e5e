import type { LexicalIndex } from '../ports/lexical-index.js';
import type { VectorIndex } from '../ports/vector-index.js';
import { fuseRanks } from './rank-fusion.js';

/** Accounts up to this many prompts are searched exactly rather than through the graph. */
const EXACT_ACCOUNT_SEARCH = 5000;

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

export const SEARCH_MODES = ['hybrid', 'vector', 'lexical'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

/** A text search hit: cosine similarity to the query, and its word-match score when it had one. */
export interface TextHit extends SimilarHit {
  lexicalScore: number | null;
}

/** Candidates each list contributes to the fusion, per result asked for. */
const FUSION_DEPTH = 3;

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
  private readonly labels = new Map<string, number>();
  private readonly accountOf = new Map<number, number>();
  private readonly accounts: string[] = [];
  private readonly accountIndex = new Map<string, number>();
  private readonly labelsOf = new Map<number, Set<number>>();

  constructor(
    readonly index: VectorIndex,
    snapshot?: CatalogSnapshot,
    /** Word search over the same prompts; without it text search is vector-only. */
    readonly lexical?: LexicalIndex,
  ) {
    if (!snapshot) return;
    for (const name of snapshot.accounts) this.internAccount(name);
    for (const [label, promptId, account] of snapshot.entries) {
      this.promptIds.set(label, promptId);
      this.labels.set(promptId, label);
      this.setAccount(label, account);
    }
  }

  get size(): number {
    return this.index.size;
  }

  /** A prompt's label in the index, if it is indexed. */
  labelOf(promptId: string): number | undefined {
    return this.labels.get(promptId);
  }

  add(entry: IndexEntry & { text?: string }): void {
    this.index.add(entry.label, entry.vector);
    if (entry.text !== undefined) this.lexical?.add(entry.label, entry.text);
    this.promptIds.set(entry.label, entry.promptId);
    this.labels.set(entry.promptId, entry.label);
    this.setAccount(entry.label, this.internAccount(entry.accountId));
  }

  vectorOf(label: number): Float32Array | undefined {
    return this.index.vectorOf(label);
  }

  remove(label: number): void {
    this.index.remove(label);
    this.lexical?.remove(label);
    const promptId = this.promptIds.get(label);
    if (promptId !== undefined) this.labels.delete(promptId);
    this.promptIds.delete(label);
    const account = this.accountOf.get(label);
    if (account !== undefined) this.labelsOf.get(account)?.delete(label);
    this.accountOf.delete(label);
  }

  search(vector: Float32Array, query: SimilarQuery): SimilarHit[] {
    let filter: ((label: number) => boolean) | undefined;
    if (query.accountId !== undefined) {
      const only = this.accountIndex.get(query.accountId);
      if (only === undefined) return [];
      const labels = this.labelsOf.get(only) ?? new Set<number>();
      if (labels.size <= EXACT_ACCOUNT_SEARCH) return this.exact(vector, labels, query.k, query.accountId);
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

  /**
   * Search by a text: its embedding's nearest prompts, its best word matches (BM25), or both fused
   * by reciprocal rank, so "reverse a linked list" finds prompts about linked lists first even when
   * a wrapper or template moves their embeddings. Account filters apply to both lists.
   */
  searchText(text: string, vector: Float32Array, query: SimilarQuery, mode: SearchMode): TextHit[] {
    const depth = mode === 'hybrid' ? query.k * FUSION_DEPTH : query.k;
    const byVector = mode === 'lexical' ? [] : this.search(vector, { ...query, k: depth });
    const byWords = mode === 'vector' || !this.lexical ? [] : this.lexical.search(text, depth, this.accountFilter(query));
    const lexicalScore = new Map(byWords.map((h) => [h.label, h.score]));
    const similarity = new Map(byVector.map((h) => [h.label, h.similarity]));
    const ranked = fuseRanks([byVector.map((h) => h.label), byWords.map((h) => h.label)]).slice(0, query.k);
    return ranked.flatMap(({ label }) => {
      const promptId = this.promptIds.get(label);
      const account = this.accountOf.get(label);
      if (promptId === undefined || account === undefined) return [];
      return [{ label, promptId, accountId: this.accounts[account] ?? '', similarity: similarity.get(label) ?? this.cosine(vector, label), lexicalScore: lexicalScore.get(label) ?? null }];
    });
  }

  private accountFilter(query: SimilarQuery): ((label: number) => boolean) | undefined {
    if (query.accountId !== undefined) {
      const only = this.accountIndex.get(query.accountId);
      return (label) => only !== undefined && this.accountOf.get(label) === only;
    }
    if (query.excludeAccountId !== undefined) {
      const excluded = this.accountIndex.get(query.excludeAccountId);
      return (label) => this.accountOf.get(label) !== excluded;
    }
    return undefined;
  }

  private cosine(vector: Float32Array, label: number): number {
    const v = this.index.vectorOf(label);
    if (!v) return 0;
    let dot = 0;
    for (let i = 0; i < v.length; i++) dot += v[i]! * vector[i]!;
    return dot;
  }

  /*
   * HNSW can leave nodes unreachable when many vectors are identical (templated prompts that differ
   * only in numbers embed the same), and a filtered walk then misses an account's own prompts. Within
   * one account a scan of its vectors is exact and cheap.
   */
  private exact(vector: Float32Array, labels: Set<number>, k: number, accountId: string): SimilarHit[] {
    const hits: SimilarHit[] = [];
    for (const label of labels) {
      const promptId = this.promptIds.get(label);
      if (promptId === undefined || !this.index.has(label)) continue;
      hits.push({ label, promptId, accountId, similarity: this.cosine(vector, label) });
    }
    return hits.sort((a, b) => b.similarity - a.similarity || a.label - b.label).slice(0, k);
  }

  private setAccount(label: number, account: number): void {
    this.accountOf.set(label, account);
    let labels = this.labelsOf.get(account);
    if (!labels) this.labelsOf.set(account, (labels = new Set()));
    labels.add(label);
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
