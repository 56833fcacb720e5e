/** A word index over prompt texts (BM25 or similar), keyed by the same labels as the vector index. */
export interface LexicalIndex {
  readonly size: number;
  add(label: number, text: string): void;
  remove(label: number): void;
  has(label: number): boolean;
  /** Best matches first; `filter` keeps only the labels it accepts. */
  search(text: string, k: number, filter?: (label: number) => boolean): { label: number; score: number }[];
}
