/**
 * Clusters of similar prompts, kept up to date as prompts arrive, never re-clustered as a whole: a
 * new prompt joins the cluster of its nearest indexed prompt when that one is at least
 * `similarity` alike (cosine), and starts a cluster of its own otherwise (nearest-neighbour leader
 * clustering over the search index, so each assignment costs one index query). Each cluster keeps
 * bounded summaries: size, first and last seen, prompts per account, per taxonomy area and per
 * day, a few example prompts, and word counts from which its label is read by class-based TF-IDF
 * (the words frequent in the cluster and rare across clusters).
 */
import { DAY_MS } from '../time.js';
import { Column } from './label-columns.js';

export interface ClusterPrompt {
  label: number;
  promptId: string;
  accountId: string;
  ts: number;
  /** The prompt's taxonomy area (`swe`, `math`, ...). */
  area: string;
  text: string;
}

export interface ClusterSummary {
  id: string;
  label: string;
  size: number;
  firstTs: number;
  lastTs: number;
  areas: Record<string, number>;
  accounts: number;
}

export interface ClusterDetail extends ClusterSummary {
  topAccounts: { accountId: string; prompts: number }[];
  /** Prompts per UTC day (the day's start, epoch ms). */
  daily: { dayTs: number; prompts: number }[];
  examplePromptIds: string[];
}

interface Cluster {
  id: string;
  size: number;
  firstTs: number;
  lastTs: number;
  accounts: Map<string, number>;
  areas: Map<string, number>;
  days: Map<number, number>;
  words: Map<string, number>;
  /** [label, promptId] of the first prompts, while they stay. */
  examples: [number, string][];
}

export interface ClustersSnapshot {
  next: number;
  clusterOf: [number, string][];
  clusters: { id: string; size: number; firstTs: number; lastTs: number; accounts: [string, number][]; areas: [string, number][]; days: [number, number][]; words: [string, number][]; examples: [number, string][] }[];
}

const EXAMPLES = 5;
/** Distinct words a cluster keeps counts of; the rarest are dropped first beyond this. */
const WORDS_KEPT = 200;
const LABEL_WORDS = 3;

/** Lower-case words of three letters or more: what a label can be made of. */
function words(text: string): string[] {
  return text.toLowerCase().match(/\p{L}{3,}/gu) ?? [];
}

export class PromptClusters {
  private readonly clusters = new Map<string, Cluster>();
  /** Each placed prompt's cluster, by label, as the number in its id (`cl_<base36>`); -1: none. */
  private readonly clusterOf = new Column(new Int32Array(1024), -1);
  private placedCount = 0;
  /** Word counts over all clusters: the "rare across clusters" half of the label weight. */
  private readonly totals = new Map<string, number>();
  /** Prompts placed per account, over all clusters. */
  private readonly perAccount = new Map<string, number>();
  private next = 0;

  constructor(
    private readonly similarity: number,
    snapshot?: ClustersSnapshot,
  ) {
    if (!snapshot) return;
    this.next = snapshot.next;
    for (const [label, id] of snapshot.clusterOf) this.place(label, id);
    for (const c of snapshot.clusters) {
      const cluster: Cluster = { ...c, accounts: new Map(c.accounts), areas: new Map(c.areas), days: new Map(c.days), words: new Map(c.words) };
      this.clusters.set(c.id, cluster);
      for (const [w, n] of cluster.words) this.totals.set(w, (this.totals.get(w) ?? 0) + n);
      for (const [a, n] of cluster.accounts) this.perAccount.set(a, (this.perAccount.get(a) ?? 0) + n);
    }
  }

  get size(): number {
    return this.clusters.size;
  }

  /** Puts a prompt in the cluster of its nearest neighbour (best first), or in a new one. */
  assign(p: ClusterPrompt, neighbours: readonly { label: number; similarity: number }[]): string {
    const near = neighbours.find((n) => n.label !== p.label && n.similarity >= this.similarity && this.clusterOf.get(n.label) >= 0);
    let c = near ? this.clusters.get(this.clusterIdOf(near.label)!) : undefined;
    if (!c) {
      c = { id: clusterIdFor(this.next++), size: 0, firstTs: p.ts, lastTs: p.ts, accounts: new Map(), areas: new Map(), days: new Map(), words: new Map(), examples: [] };
      this.clusters.set(c.id, c);
    }
    this.place(p.label, c.id);
    c.size++;
    c.firstTs = Math.min(c.firstTs, p.ts);
    c.lastTs = Math.max(c.lastTs, p.ts);
    bump(c.accounts, p.accountId);
    bump(this.perAccount, p.accountId);
    bump(c.areas, p.area);
    bump(c.days, Math.floor(p.ts / DAY_MS) * DAY_MS);
    if (c.examples.length < EXAMPLES) c.examples.push([p.label, p.promptId]);
    for (const w of new Set(words(p.text))) {
      bump(c.words, w);
      bump(this.totals, w);
    }
    if (c.words.size > WORDS_KEPT * 2) {
      const kept = [...c.words].sort((a, b) => b[1] - a[1]);
      for (const [w, n] of kept.slice(WORDS_KEPT)) {
        c.words.delete(w);
        this.totals.set(w, (this.totals.get(w) ?? n) - n);
      }
    }
    return c.id;
  }

  /** A prompt left the index: the cluster shrinks (its summaries keep what they counted). */
  remove(label: number): void {
    const id = this.clusterIdOf(label);
    if (id === undefined) return;
    this.clusterOf.clear(label);
    this.placedCount--;
    const c = this.clusters.get(id)!;
    c.size--;
    c.examples = c.examples.filter(([l]) => l !== label);
    if (c.size <= 0) this.clusters.delete(id);
  }

  clusterIdOf(label: number): string | undefined {
    const n = this.clusterOf.get(label);
    return n < 0 ? undefined : clusterIdFor(n);
  }

  private place(label: number, id: string): void {
    if (this.clusterOf.get(label) < 0) this.placedCount++;
    this.clusterOf.set(label, clusterNumber(id));
  }

  /** The cluster's label: its LABEL_WORDS words by class-based TF-IDF. */
  private label(c: Cluster): string {
    const average = [...this.totals.values()].reduce((a, b) => a + b, 0) / Math.max(1, this.clusters.size);
    const weight = (w: string, n: number) => (n / c.size) * Math.log(1 + average / Math.max(1, this.totals.get(w) ?? n));
    return [...c.words]
      .map(([w, n]) => [w, weight(w, n)] as const)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, LABEL_WORDS)
      .map(([w]) => w)
      .join(' / ');
  }

  /** Clusters largest first, filtered by size, area (most of its prompts) and words in the label. */
  list(q: { minSize: number; area?: string; q?: string; offset: number; limit: number }): { items: ClusterSummary[]; total: number } {
    const needle = q.q?.toLowerCase();
    const sized = [...this.clusters.values()]
      .filter((c) => c.size >= q.minSize && (!q.area || top(c.areas) === q.area))
      .sort((a, b) => b.size - a.size || (a.id < b.id ? -1 : 1));
    // Labels cost a TF-IDF pass each: without words to match, only the page's clusters need one.
    if (!needle) return { items: sized.slice(q.offset, q.offset + q.limit).map((c) => this.summary(c)), total: sized.length };
    const all = sized.map((c) => this.summary(c)).filter((s) => s.label.includes(needle));
    return { items: all.slice(q.offset, q.offset + q.limit), total: all.length };
  }

  get(id: string, topAccounts: number): ClusterDetail | undefined {
    const c = this.clusters.get(id);
    if (!c) return undefined;
    return {
      ...this.summary(c),
      topAccounts: [...c.accounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, topAccounts).map(([accountId, prompts]) => ({ accountId, prompts })),
      daily: [...c.days].sort((a, b) => a[0] - b[0]).map(([dayTs, prompts]) => ({ dayTs, prompts })),
      examplePromptIds: c.examples.map(([, id]) => id),
    };
  }

  /** Prompts placed so far, less those removed: a cached map is stale once this moves. */
  get placed(): number {
    return this.placedCount;
  }

  /** The biggest clusters of at least `minSize`, each with the labels of its example prompts. */
  representatives(minSize: number, limit: number): (ClusterSummary & { exampleLabels: number[] })[] {
    return [...this.clusters.values()]
      .filter((c) => c.size >= minSize)
      .sort((a, b) => b.size - a.size || (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map((c) => ({ ...this.summary(c), exampleLabels: c.examples.map(([l]) => l) }));
  }

  /** The clusters an account's prompts fall in, most of its prompts first. */
  coverage(accountId: string, limit: number): (ClusterSummary & { prompts: number })[] {
    return [...this.clusters.values()]
      .filter((c) => c.accounts.has(accountId))
      .map((c) => ({ ...this.summary(c), prompts: c.accounts.get(accountId)! }))
      .sort((a, b) => b.prompts - a.prompts || (a.id < b.id ? -1 : 1))
      .slice(0, limit);
  }

  /**
   * Accounts whose prompts fall in the same clusters as this one's: each shared cluster adds the
   * smaller of the two accounts' shares of their prompts in it (1 means identical spreads).
   */
  similarAccounts(accountId: string, limit: number): { accountId: string; overlap: number; sharedClusters: number }[] {
    const mine = [...this.clusters.values()].filter((c) => c.accounts.has(accountId));
    const own = this.perAccount.get(accountId) ?? 1;
    const others = new Map<string, { overlap: number; shared: number }>();
    for (const c of mine) {
      for (const [other, n] of c.accounts) {
        if (other === accountId) continue;
        const o = others.get(other) ?? { overlap: 0, shared: 0 };
        o.overlap += Math.min(c.accounts.get(accountId)! / own, n / (this.perAccount.get(other) ?? n));
        o.shared++;
        others.set(other, o);
      }
    }
    return [...others]
      .map(([a, o]) => ({ accountId: a, overlap: Math.round(o.overlap * 1e4) / 1e4, sharedClusters: o.shared }))
      .sort((x, y) => y.overlap - x.overlap || (x.accountId < y.accountId ? -1 : 1))
      .slice(0, limit);
  }

  snapshot(): ClustersSnapshot {
    return {
      next: this.next,
      clusterOf: this.placedLabels(),
      clusters: [...this.clusters.values()].map((c) => ({ ...c, accounts: [...c.accounts], areas: [...c.areas], days: [...c.days], words: [...c.words] })),
    };
  }

  private placedLabels(): [number, string][] {
    const out: [number, string][] = [];
    for (let label = 0; label < this.clusterOf.length; label++) {
      const id = this.clusterIdOf(label);
      if (id !== undefined) out.push([label, id]);
    }
    return out;
  }

  private summary(c: Cluster): ClusterSummary {
    return { id: c.id, label: this.label(c), size: c.size, firstTs: c.firstTs, lastTs: c.lastTs, areas: Object.fromEntries(c.areas), accounts: c.accounts.size };
  }
}

/** Cluster ids are `cl_` and a counter in base 36; the clusterOf column keeps the counter. */
const clusterIdFor = (n: number) => `cl_${n.toString(36)}`;
const clusterNumber = (id: string) => parseInt(id.slice('cl_'.length), 36);

function bump<K>(m: Map<K, number>, k: K): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

function top(m: Map<string, number>): string | undefined {
  let best: [string, number] | undefined;
  for (const e of m) if (!best || e[1] > best[1]) best = e;
  return best?.[0];
}
