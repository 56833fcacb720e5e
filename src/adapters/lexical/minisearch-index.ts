import MiniSearch from 'minisearch';
import type { LexicalIndex } from '../../model/ports/lexical-index.js';

const OPTIONS = { fields: ['text'], idField: 'id', storeFields: [] as string[] };

/** BM25 word search over prompt texts (MiniSearch), persisted beside the vector index's snapshot. */
export class MiniSearchIndex implements LexicalIndex {
  private constructor(private readonly ms: MiniSearch<{ id: number; text: string }>) {}

  static create(): MiniSearchIndex {
    return new MiniSearchIndex(new MiniSearch(OPTIONS));
  }

  static load(json: string): MiniSearchIndex {
    return new MiniSearchIndex(MiniSearch.loadJSON(json, OPTIONS));
  }

  get size(): number {
    return this.ms.documentCount;
  }

  add(label: number, text: string): void {
    if (this.ms.has(label)) this.ms.discard(label);
    this.ms.add({ id: label, text });
  }

  remove(label: number): void {
    if (this.ms.has(label)) this.ms.discard(label);
  }

  has(label: number): boolean {
    return this.ms.has(label);
  }

  search(text: string, k: number, filter?: (label: number) => boolean): { label: number; score: number }[] {
    const hits = this.ms.search(text, { combineWith: 'OR', ...(filter ? { filter: (r) => filter(r.id as number) } : {}) });
    return hits.slice(0, k).map((h) => ({ label: h.id as number, score: h.score }));
  }

  toJSON(): string {
    return JSON.stringify(this.ms);
  }
}
