/**
 * Per-prompt values kept by label in typed arrays that grow as labels do (labels come from one
 * counter, so they are dense): a few bytes per prompt where a Map entry costs 40 to 80.
 */
export class Column<T extends Float64Array | Int32Array | Uint16Array | Uint8Array> {
  constructor(
    private data: T,
    /** The value of a label never set. */
    private readonly empty: number,
  ) {
    data.fill(empty);
  }

  /** One past the highest label the column has room for. */
  get length(): number {
    return this.data.length;
  }

  get(label: number): number {
    return label < this.data.length ? this.data[label]! : this.empty;
  }

  set(label: number, value: number): void {
    if (label >= this.data.length) {
      const grown = new (this.data.constructor as new (n: number) => T)(Math.max(label + 1, this.data.length * 2));
      grown.fill(this.empty);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[label] = value;
  }

  clear(label: number): void {
    if (label < this.data.length) this.data[label] = this.empty;
  }
}

/** Labels grouped by a small integer key (an account), with O(1) removal by swapping with the last. */
export class LabelGroups {
  private readonly groups: number[][] = [];
  private readonly position = new Column(new Int32Array(1024), -1);

  add(group: number, label: number): void {
    const list = (this.groups[group] ??= []);
    this.position.set(label, list.length);
    list.push(label);
  }

  remove(group: number, label: number): void {
    const list = this.groups[group];
    const at = this.position.get(label);
    if (!list || at < 0 || list[at] !== label) return;
    const last = list.pop()!;
    if (last !== label) {
      list[at] = last;
      this.position.set(last, at);
    }
    this.position.clear(label);
  }

  of(group: number): readonly number[] {
    return this.groups[group] ?? [];
  }
}
