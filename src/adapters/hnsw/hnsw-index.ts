import hnswlib from 'hnswlib-node';
import { Column } from '../../model/search/label-columns.js';
import type { Neighbour, VectorIndex } from '../../model/ports/vector-index.js';

const { HierarchicalNSW } = hnswlib;

export interface HnswParams {
  m: number;
  efConstruction: number;
  efSearch: number;
}

const INITIAL_CAPACITY = 16_384;

/** hnswlib-node in cosine space; capacity doubles as it fills so callers never size it. */
export class HnswVectorIndex implements VectorIndex {
  private readonly index: InstanceType<typeof HierarchicalNSW>;
  /** Live labels (1) in a typed column: a Set would cost tens of bytes per prompt. */
  private readonly live = new Column(new Uint8Array(1024), 0);
  private count = 0;
  private readonly efSearch: number;
  private readonly deleted = new Set<number>();

  private constructor(
    readonly dimension: number,
    params: HnswParams,
    index?: InstanceType<typeof HierarchicalNSW>,
    deleted?: ReadonlySet<number>,
  ) {
    if (index) {
      this.index = index;
      // The file keeps deleted points (marked, never returned); only live ones count.
      for (const label of index.getIdsList()) if (!deleted?.has(label)) this.mark(label);
      for (const label of deleted ?? []) this.deleted.add(label);
    } else {
      this.index = new HierarchicalNSW('cosine', dimension);
      this.index.initIndex({ maxElements: INITIAL_CAPACITY, m: params.m, efConstruction: params.efConstruction, randomSeed: 42, allowReplaceDeleted: false });
    }
    this.efSearch = params.efSearch;
    this.index.setEf(params.efSearch);
  }

  private mark(label: number): void {
    this.live.set(label, 1);
    this.count++;
  }

  static create(dimension: number, params: HnswParams): HnswVectorIndex {
    return new HnswVectorIndex(dimension, params);
  }

  static async load(file: string, dimension: number, params: HnswParams, deleted: ReadonlySet<number> = new Set()): Promise<HnswVectorIndex> {
    const index = new HierarchicalNSW('cosine', dimension);
    await index.readIndex(file, false);
    return new HnswVectorIndex(dimension, params, index, deleted);
  }

  get size(): number {
    return this.count;
  }

  has(label: number): boolean {
    return this.live.get(label) === 1;
  }

  vectorOf(label: number): Float32Array | undefined {
    return this.has(label) ? Float32Array.from(this.index.getPoint(label)) : undefined;
  }

  add(label: number, vector: Float32Array): void {
    if (vector.length !== this.dimension) {
      throw new Error(`vector has ${vector.length} dimensions, index has ${this.dimension}`);
    }
    if (this.has(label)) return;
    if (this.index.getCurrentCount() >= this.index.getMaxElements()) {
      this.index.resizeIndex(this.index.getMaxElements() * 2);
    }
    this.index.addPoint(Array.from(vector), label);
    this.mark(label);
  }

  remove(label: number): void {
    if (!this.has(label)) return;
    this.live.clear(label);
    this.count--;
    this.index.markDelete(label);
    this.deleted.add(label);
  }

  /** Labels marked deleted in the graph, which a snapshot must remember. */
  deletedLabels(): number[] {
    return [...this.deleted];
  }

  search(vector: Float32Array, k: number, filter?: (label: number) => boolean, ef?: number): Neighbour[] {
    const n = Math.min(k, this.count);
    if (n === 0) return [];
    const query = Array.from(vector);
    if (ef !== undefined) this.index.setEf(Math.max(ef, n));
    try {
      const result = filter ? this.index.searchKnn(query, n, filter) : this.index.searchKnn(query, n);
      return result.neighbors.map((label, i) => ({ label, similarity: 1 - (result.distances[i] ?? 1) }));
    } finally {
      if (ef !== undefined) this.index.setEf(this.efSearch);
    }
  }

  async save(file: string): Promise<void> {
    await this.index.writeIndex(file);
  }
}
