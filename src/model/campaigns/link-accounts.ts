import type { VectorIndex } from '../ports/vector-index.js';
import type { DetectionParams } from '../scoring/detection-params.js';
import { infraKind, promptLinkKeys } from './prompt-keys.js';
import type { AccountEdge, EdgeReason, LinkPrompt, ReasonKind } from './types.js';

/**
 * Everything linking weighs, from the detection tunables (models/detection.json `linking` and
 * `linkWeights`, each with its reason): no default lives here.
 */
export type LinkOptions = DetectionParams['linking'] & DetectionParams['linkWeights'];

export function linkOptionsOf(params: Pick<DetectionParams, 'linking' | 'linkWeights'>): LinkOptions {
  return { ...params.linking, ...params.linkWeights };
}

const SYNC_BUCKET_MS = 6 * 3600 * 1000;
const EXAMPLES = 3;

export interface KeyUse {
  count: number;
  buckets: Set<number>;
  examples: string[];
}

/**
 * Weighted edges between accounts, each with its reasons. Evidence is weighted by rarity among ALL
 * accounts (log N/df), and by how much of each account it covers (the smaller share of the two),
 * so a line a few prompts of many users happen to share stays light while a template on a third
 * of every fleet account is heavy. Near-linear: one k-NN query per prompt, and per shared key each
 * account is paired with at most `partnersPerKey` others.
 */
export function linkAccounts(prompts: readonly LinkPrompt[], index: VectorIndex, opt: LinkOptions): AccountEdge[] {
  const sizes = new Map<string, number>();
  for (const p of prompts) sizes.set(p.accountId, (sizes.get(p.accountId) ?? 0) + 1);
  const edges = edgeSet(opt);
  const addReason = edges.add;

  addKeyEdges(collectKeys(prompts), sizes, opt, addReason);

  for (const [pair, near] of nearDuplicates(prompts, index, opt)) {
    const [a, b] = pair.split('\u0000') as [string, string];
    const w = opt.nearDuplicate * Math.min(strength(near.ab, sizes.get(a)!, opt), strength(near.ba, sizes.get(b)!, opt));
    if (w > 0) addReason(a, b, { kind: 'near-duplicate', key: near.example, weight: w, accountsWithKey: 2, examplePromptIds: near.examples });
  }

  return edges.list(opt.minWeight);
}


export type KeyUses = Map<string, Map<string, KeyUse>>;

/**
 * Edges from shared keys alone (templates, infrastructure, synchrony), for callers that keep key
 * counts per account instead of prompts (the live service). `sizes` are the accounts' prompt counts.
 */
export function keyEdges(uses: KeyUses, sizes: ReadonlyMap<string, number>, opt: LinkOptions): AccountEdge[] {
  const edges = edgeSet(opt);
  addKeyEdges(uses, sizes, opt, edges.add);
  return edges.list(opt.minWeight);
}

/** Edges keyed by account pair, accumulating weighted reasons; each hint kind is capped at `hintCap`. */
function edgeSet({ hintCap, infrastructure }: Pick<LinkOptions, 'hintCap' | 'infrastructure'>) {
  const edges = new Map<string, AccountEdge & { byKind: Map<string, number> }>();
  return {
    add(a: string, b: string, r: EdgeReason): void {
      const [x, y] = a < b ? [a, b] : [b, a];
      const id = `${x}\u0000${y}`;
      let e = edges.get(id);
      if (!e) edges.set(id, (e = { a: x, b: y, weight: 0, reasons: [], byKind: new Map() }));
      const kind = r.kind === 'infrastructure' ? infraKind(r.key) : r.kind;
      e.byKind.set(kind, (e.byKind.get(kind) ?? 0) + r.weight);
      e.reasons.push(r);
    },
    list(minWeight: number): AccountEdge[] {
      const out: AccountEdge[] = [];
      for (const { byKind, ...e } of edges.values()) {
        let weight = 0;
        for (const [kind, w] of byKind) weight += (infrastructure[kind] ?? 1) < 1 ? Math.min(hintCap, w) : w;
        if (weight >= minWeight) out.push({ ...e, weight, reasons: e.reasons.sort((p, q) => q.weight - p.weight) });
      }
      return out;
    },
  };
}

function addKeyEdges(uses: KeyUses, sizes: ReadonlyMap<string, number>, opt: LinkOptions, addReason: (a: string, b: string, r: EdgeReason) => void): void {
  const accounts = sizes.size;
  const wave = waveRates(uses);
  for (const [key, byAccount] of uses) {
    const kind: ReasonKind = key.startsWith('t:') ? 'template' : 'infrastructure';
    const ubiquitous = key.startsWith('i:signupWave:')
      ? poissonTail(byAccount.size, wave.perHour(key)) > opt.waveTail
      : byAccount.size > opt.maxKeyShare * accounts && byAccount.size > opt.ubiquitousFrom;
    if (byAccount.size < 2 || (kind === 'infrastructure' && ubiquitous)) continue;
    const base = (kind === 'template' ? opt.template : opt.infrastructure[infraKind(key.slice(2))] ?? 0) * Math.log(accounts / byAccount.size);
    if (base <= 0) continue;
    const ranked = [...byAccount].map(([acct, u]) => ({ acct, u, s: strength(u.count, sizes.get(acct)!, opt) })).sort((x, y) => y.s - x.s);
    for (let i = 0; i < ranked.length; i++) {
      for (let j = i + 1; j < Math.min(ranked.length, i + 1 + opt.partnersPerKey); j++) {
        const x = ranked[i]!;
        const y = ranked[j]!;
        const w = base * y.s;
        const shown = key.slice(2);
        const examples = [...x.u.examples, ...y.u.examples].slice(0, EXAMPLES);
        addReason(x.acct, y.acct, { kind, key: shown, weight: w, accountsWithKey: byAccount.size, examplePromptIds: examples });
        if (kind !== 'template') continue;
        const sync = overlap(x.u.buckets, y.u.buckets);
        if (sync > 0) addReason(x.acct, y.acct, { kind: 'synchrony', key: shown, weight: opt.synchrony * w * sync, accountsWithKey: byAccount.size, examplePromptIds: examples });
      }
    }
  }

}

/**
 * Signups per hour each client would see by chance: its accounts spread evenly over the hours
 * between the population's first and last signup. A popular SDK in a big population signs up many
 * accounts every hour; a fleet's wave is many more than its client's rate in one hour.
 */
function waveRates(uses: KeyUses) {
  const perClient = new Map<string, number>();
  let first = Infinity;
  let last = -Infinity;
  for (const [key, byAccount] of uses) {
    if (key.startsWith('i:userAgent:')) perClient.set(key.slice('i:userAgent:'.length), byAccount.size);
    else if (key.startsWith('i:signupHour:')) {
      const h = Number(key.slice('i:signupHour:'.length));
      first = Math.min(first, h);
      last = Math.max(last, h);
    }
  }
  const hours = Math.max(1, last - first + 1);
  return { perHour: (waveKey: string) => (perClient.get(waveKey.slice(waveKey.indexOf('|') + 1)) ?? 0) / hours };
}

/** P(X >= k) for X ~ Poisson(lambda), summed upward from k in log space (no underflow for big lambda). */
function poissonTail(k: number, lambda: number): number {
  if (k <= lambda) return 1;
  if (lambda <= 0) return 0;
  let logFactorial = 0;
  for (let i = 2; i <= k; i++) logFactorial += Math.log(i);
  let term = Math.exp(-lambda + k * Math.log(lambda) - logFactorial);
  let sum = 0;
  for (let i = k; term > sum * 1e-12 && i < k + 10_000; i++) {
    sum += term;
    term *= lambda / (i + 1);
  }
  return Math.min(1, sum);
}

/** Share of the account's prompts carrying the evidence, shrunk while the count is small. */
function strength(count: number, size: number, { countHalf }: Pick<LinkOptions, 'countHalf'>): number {
  return (count / size) * (count / (count + countHalf));
}

function overlap(a: Set<number>, b: Set<number>): number {
  let both = 0;
  for (const x of a) if (b.has(x)) both++;
  return both / Math.min(a.size, b.size);
}

function collectKeys(prompts: readonly LinkPrompt[]): KeyUses {
  const uses: KeyUses = new Map();
  for (const p of prompts) {
    const keys = promptLinkKeys(p.text, p.metadata);
    for (const key of keys) {
      let byAccount = uses.get(key);
      if (!byAccount) uses.set(key, (byAccount = new Map()));
      let u = byAccount.get(p.accountId);
      if (!u) byAccount.set(p.accountId, (u = { count: 0, buckets: new Set(), examples: [] }));
      u.count++;
      u.buckets.add(Math.floor(p.ts / SYNC_BUCKET_MS));
      if (u.examples.length < EXAMPLES) u.examples.push(p.promptId);
    }
  }
  return uses;
}

interface NearDuplicates {
  /** Prompts of the first account with a near-duplicate in the second, and the other way round. */
  ab: number;
  ba: number;
  example: string;
  examples: string[];
}

/**
 * Shared items found through the index, never by comparing all pairs: each prompt asks for its k
 * nearest prompts of other accounts. A prompt whose near-duplicates spread over many accounts is a
 * popular one ("hi"), so its evidence is split between them.
 */
function nearDuplicates(prompts: readonly LinkPrompt[], index: VectorIndex, opt: LinkOptions): Map<string, NearDuplicates> {
  const owner = prompts.map((p) => p.accountId);
  prompts.forEach((p, i) => index.add(i, p.vector));
  const out = new Map<string, NearDuplicates>();
  prompts.forEach((p) => {
    const hits = index.search(p.vector, opt.neighbours, (label) => owner[label] !== p.accountId).filter((h) => h.similarity >= opt.nearDuplicateSimilarity);
    const others = new Map<string, number>();
    for (const h of hits) if (!others.has(owner[h.label]!)) others.set(owner[h.label]!, h.label);
    for (const [acct, label] of others) {
      const forward = p.accountId < acct;
      const id = forward ? `${p.accountId}\u0000${acct}` : `${acct}\u0000${p.accountId}`;
      let n = out.get(id);
      if (!n) out.set(id, (n = { ab: 0, ba: 0, example: p.text.slice(0, 120), examples: [] }));
      if (forward) n.ab += 1 / others.size;
      else n.ba += 1 / others.size;
      if (n.examples.length < EXAMPLES) n.examples = [...n.examples, p.promptId, prompts[label]!.promptId].slice(0, EXAMPLES);
    }
  });
  return out;
}
