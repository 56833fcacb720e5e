import type { LexicalIndex } from '../ports/lexical-index.js';
import type { VectorIndex } from '../ports/vector-index.js';
import { Column, LabelGroups } from './label-columns.js';
import { fuseRanks } from './rank-fusion.js';

/** Accounts up to this many prompts are searched exactly rather than through the graph. */
const EXACT_ACCOUNT_SEARCH = 5000;

export interface IndexEntry {
  label: number;
  promptId: string;
  accountId: string;
  vector: Float32Array;
  /** When it was sent and its taxonomy area, for search filters; absent on entries logged before filters existed. */
  ts?: number;
  area?: string;
}

export interface SimilarQuery {
  k: number;
  /** Only prompts of this account. */
  accountId?: string;
  /** Leave this account out, e.g. to find who else sends what an account sends. */
  excludeAccountId?: string;
  /** Only prompts of these accounts (a campaign's members). */
  accountIds?: readonly string[];
  /** Only prompts of this taxonomy area (`swe`, `math`, ...). */
  area?: string;
  /** Only prompts sent in [from, to) (epoch ms). */
  from?: number;
  to?: number;
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
  areas?: string[];
  /** [label, promptId, account index, ts, area index]; the last two absent where unknown */
  entries: ([number, string, number] | [number, string, number, number, number])[];
}

/**
 * The vector index plus what a label stands for, so a search answers with prompt and account ids
 * without a store round trip, and account filters run inside the graph walk.
 */
export class SimilarPrompts {
  /** promptId by label (a holey array: labels are dense). */
  private readonly promptIds: (string | undefined)[] = [];
  private readonly accountOf = new Column(new Int32Array(1024), -1);
  private readonly accounts: string[] = [];
  private readonly accountIndex = new Map<string, number>();
  private readonly labelsOf = new LabelGroups();
  /** When each prompt was sent (NaN: unknown) and its area (index + 1; 0: unknown), for filters. */
  private readonly tsOf = new Column(new Float64Array(1024), NaN);
  private readonly areaOf = new Column(new Uint8Array(1024), 0);
  private readonly areas: string[] = [];

  constructor(
    readonly index: VectorIndex,
    snapshot?: CatalogSnapshot,
    /** Word search over the same prompts; without it text search is vector-only. */
    readonly lexical?: LexicalIndex,
  ) {
    if (!snapshot) return;
    for (const name of snapshot.accounts) this.internAccount(name);
    this.areas.push(...(snapshot.areas ?? []));
    for (const [label, promptId, account, ts, area] of snapshot.entries) {
      this.promptIds[label] = promptId;
      this.setAccount(label, account);
      if (ts !== undefined && area !== undefined) this.setMeta(label, ts, area);
    }
  }

  get size(): number {
    return this.index.size;
  }

  add(entry: IndexEntry & { text?: string }): void {
    this.index.add(entry.label, entry.vector);
    if (entry.text !== undefined) this.lexical?.add(entry.label, entry.text);
    this.promptIds[entry.label] = entry.promptId;
    this.setAccount(entry.label, this.internAccount(entry.accountId));
    if (entry.ts !== undefined && entry.area !== undefined) this.setMeta(entry.label, entry.ts, this.internArea(entry.area));
  }

  vectorOf(label: number): Float32Array | undefined {
    return this.index.vectorOf(label);
  }

  remove(label: number): void {
    this.index.remove(label);
    this.lexical?.remove(label);
    delete this.promptIds[label];
    const account = this.accountOf.get(label);
    if (account >= 0) this.labelsOf.remove(account, label);
    this.accountOf.clear(label);
    this.tsOf.clear(label);
    this.areaOf.clear(label);
  }

  search(vector: Float32Array, query: SimilarQuery): SimilarHit[] {
    const filter = this.filterOf(query);
    return filter === 'nothing' ? [] : this.searchFiltered(vector, query, filter);
  }

  private searchFiltered(vector: Float32Array, query: SimilarQuery, filter: ((label: number) => boolean) | undefined): SimilarHit[] {
    if (query.accountId !== undefined) {
      const labels = this.labelsOf.of(this.accountIndex.get(query.accountId)!);
      if (labels.length <= EXACT_ACCOUNT_SEARCH) return this.exact(vector, labels, query.k, query.accountId, filter);
    }
    const hits: SimilarHit[] = [];
    for (const n of this.index.search(vector, query.k, filter)) {
      const promptId = this.promptIds[n.label];
      const account = this.accountOf.get(n.label);
      if (promptId === undefined || account < 0) continue;
      hits.push({ label: n.label, promptId, accountId: this.accounts[account] ?? '', similarity: n.similarity });
    }
    return hits;
  }

  /**
   * Search by a text: its embedding's nearest prompts, its best word matches (BM25), or both fused
   * by reciprocal rank, so "reverse a linked list" finds prompts about linked lists first even when
   * a wrapper or template moves their embeddings. Filters apply to both lists.
   */
  searchText(text: string, vector: Float32Array, query: SimilarQuery, mode: SearchMode): TextHit[] {
    const depth = mode === 'hybrid' ? query.k * FUSION_DEPTH : query.k;
    const filter = this.filterOf(query);
    if (filter === 'nothing') return [];
    const byVector = mode === 'lexical' ? [] : this.searchFiltered(vector, { ...query, k: depth }, filter);
    const byWords = mode === 'vector' || !this.lexical ? [] : this.lexical.search(text, depth, filter);
    const lexicalScore = new Map(byWords.map((h) => [h.label, h.score]));
    const similarity = new Map(byVector.map((h) => [h.label, h.similarity]));
    const ranked = fuseRanks([byVector.map((h) => h.label), byWords.map((h) => h.label)]).slice(0, query.k);
    return ranked.flatMap(({ label }) => {
      const promptId = this.promptIds[label];
      const account = this.accountOf.get(label);
      if (promptId === undefined || account < 0) return [];
      return [{ label, promptId, accountId: this.accounts[account] ?? '', similarity: similarity.get(label) ?? this.cosine(vector, label), lexicalScore: lexicalScore.get(label) ?? null }];
    });
  }

  /**
   * The query's filters as one test on a label, run inside the graph walk and the word search, so
   * a filtered search still returns k results where k exist; 'nothing' when no prompt can pass.
   */
  private filterOf(query: SimilarQuery): ((label: number) => boolean) | undefined | 'nothing' {
    const tests: ((label: number) => boolean)[] = [];
    if (query.accountId !== undefined) {
      const only = this.accountIndex.get(query.accountId);
      if (only === undefined) return 'nothing';
      tests.push((label) => this.accountOf.get(label) === only);
    }
    if (query.excludeAccountId !== undefined) {
      const excluded = this.accountIndex.get(query.excludeAccountId);
      if (excluded !== undefined) tests.push((label) => this.accountOf.get(label) !== excluded);
    }
    if (query.accountIds !== undefined) {
      const among = new Set(query.accountIds.flatMap((a) => this.accountIndex.get(a) ?? []));
      if (!among.size) return 'nothing';
      tests.push((label) => among.has(this.accountOf.get(label)));
    }
    if (query.area !== undefined) {
      const area = this.areas.indexOf(query.area);
      if (area < 0) return 'nothing';
      tests.push((label) => this.areaOf.get(label) === area + 1);
    }
    const { from, to } = query;
    if (from !== undefined || to !== undefined) {
      tests.push((label) => {
        const ts = this.tsOf.get(label);
        return !Number.isNaN(ts) && (from === undefined || ts >= from) && (to === undefined || ts < to);
      });
    }
    if (tests.length === 0) return undefined;
    if (tests.length === 1) return tests[0];
    return (label) => tests.every((t) => t(label));
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
  private exact(vector: Float32Array, labels: readonly number[], k: number, accountId: string, filter: ((label: number) => boolean) | undefined): SimilarHit[] {
    const hits: SimilarHit[] = [];
    for (const label of labels) {
      const promptId = this.promptIds[label];
      if (promptId === undefined || !this.index.has(label) || (filter && !filter(label))) continue;
      hits.push({ label, promptId, accountId, similarity: this.cosine(vector, label) });
    }
    return hits.sort((a, b) => b.similarity - a.similarity || a.label - b.label).slice(0, k);
  }

  private setAccount(label: number, account: number): void {
    this.accountOf.set(label, account);
    this.labelsOf.add(account, label);
  }

  private setMeta(label: number, ts: number, area: number): void {
    this.tsOf.set(label, ts);
    this.areaOf.set(label, area + 1);
  }

  snapshot(): CatalogSnapshot {
    const entries: CatalogSnapshot['entries'] = [];
    this.promptIds.forEach((promptId, label) => {
      if (promptId === undefined) return;
      const [ts, area] = [this.tsOf.get(label), this.areaOf.get(label)];
      const account = Math.max(0, this.accountOf.get(label));
      entries.push(Number.isNaN(ts) || area === 0 ? [label, promptId, account] : [label, promptId, account, ts, area - 1]);
    });
    return { accounts: [...this.accounts], areas: [...this.areas], entries };
  }

  private internAccount(accountId: string): number {
    let i = this.accountIndex.get(accountId);
    if (i === undefined) {
      i = this.accounts.push(accountId) - 1;
      this.accountIndex.set(accountId, i);
    }
    return i;
  }

  /** Areas are few: a list scan interns them. */
  private internArea(area: string): number {
    const i = this.areas.indexOf(area);
    return i >= 0 ? i : this.areas.push(area) - 1;
  }
}
