import type { Classification } from './classifier.js';
import { addToMixture, emptyMixture, mergeMixtures } from './curriculum-evidence.js';
import { skeletonKeys } from './text-cues.js';

/** A prompt after embedding and classification, as the profile consumes it. */
export interface ClassifiedPrompt extends Classification {
  promptId: string;
  /** Epoch milliseconds. */
  ts: number;
  text: string;
  /** What the abuse pipeline attached (sample.ts validates the fields read here). */
  metadata?: Record<string, string | number | boolean | null>;
}

/** Who the account says it is, as its latest prompt carried it: what fleet linking compares. */
export interface Identity {
  client: string | null;
  emailDomain: string | null;
  /** Epoch milliseconds. */
  signupTs: number | null;
}

/** One model's use by the account: release pivots read when it first moved to a new one. */
export interface ModelUse {
  n: number;
  firstTs: number;
}

/** A prompt the curriculum model found most like instruction or benchmark data. */
export interface CurriculumPrompt {
  promptId: string;
  subArea: string;
  /** Clipped log likelihood ratio, curriculum vs organic. */
  llr: number;
  /** What in the prompt made it look so, in words. */
  reasons: string[];
}

/** What the prompt model says of one prompt; `explain` runs only for prompts that make the top list. */
export interface PromptEvidence {
  llr: number;
  explain: () => string[];
}

export interface ExamplePrompt {
  promptId: string;
  subArea: string;
  /** Hash rank: the profile keeps the EXAMPLES smallest, so merged profiles keep the same ones. */
  rank: number;
}

/**
 * Everything the score needs about one account, bounded in size whatever the volume: counters, a
 * sub-area histogram (bounded by the taxonomy), a heavy-hitter sketch of template skeletons, an
 * hour-of-day histogram, 6-hour activity buckets (kept for RETENTION_MS) and a bottom-k sample of
 * example prompts. Plain JSON, and `mergeProfiles` pools accounts (e.g. a campaign cluster).
 */
export interface Profile {
  version: 3;
  n: number;
  /** Mixture log-likelihoods over `MIX_GRID` (curriculum-evidence.ts): the account's evidence. */
  mix: number[];
  /** Prompts the curriculum model finds more likely curriculum than organic. */
  curriculumLike: number;
  /** The TOP_PROMPTS most curriculum-like prompts, highest first: what an analyst reads. */
  top: CurriculumPrompt[];
  firstTs: number | null;
  lastTs: number | null;
  subAreas: Record<string, number>;
  highValue: number;
  /** High-value prompts per area: the breadth of what a curriculum sweeps. */
  highValueByArea: Record<string, number>;
  /** Prompts that carry a template skeleton (text-cues.ts). */
  skeletonEligible: number;
  /** Misra-Gries summary of skeleton keys: counts are lower bounds, within `n / SKETCH_SIZE`. */
  skeletons: Record<string, number>;
  hourOfDay: number[];
  /** Prompt counts per 6-hour bucket since the epoch. */
  buckets: Record<string, number>;
  /** Largest 24-hour count seen, including buckets already aged out. */
  peak24h: number;
  /** Log-gap moments of consecutive in-order prompts (pooled across members after a merge). */
  gaps: { count: number; sum: number; sumSq: number };
  examples: ExamplePrompt[];
  identity: Identity;
  /** Per requested model (at most MAX_MODELS; later ones are not tracked). */
  models: Record<string, ModelUse>;
  outputTokens: number;
  /** Output tokens per 6-hour bucket, kept like `buckets`: fleet rates are read from it. */
  tokenBuckets: Record<string, number>;
}

export const SKETCH_SIZE = 32;
export const EXAMPLES = 8;
export const TOP_PROMPTS = 8;
export const BUCKET_MS = 6 * 3600 * 1000;
export const MAX_MODELS = 16;
export const RETENTION_MS = 120 * 24 * 3600 * 1000;
const BUCKETS_PER_DAY = 4;

export function emptyProfile(): Profile {
  return {
    version: 3,
    n: 0,
    mix: emptyMixture(),
    curriculumLike: 0,
    top: [],
    firstTs: null,
    lastTs: null,
    subAreas: {},
    highValue: 0,
    highValueByArea: {},
    skeletonEligible: 0,
    skeletons: {},
    hourOfDay: new Array<number>(24).fill(0),
    buckets: {},
    peak24h: 0,
    gaps: { count: 0, sum: 0, sumSq: 0 },
    examples: [],
    identity: { client: null, emailDomain: null, signupTs: null },
    models: {},
    outputTokens: 0,
    tokenBuckets: {},
  };
}

/**
 * A stored profile as this version reads it. Version 2 lacks identity, models and tokens, which
 * start empty and fill from new prompts; its evidence is kept. Version 1 held none of the curriculum
 * model's evidence: it starts afresh (the reclassify job rebuilds whole profiles from stored prompts).
 */
export function upgradeProfile(stored: unknown): Profile {
  const p = stored as Partial<Profile> & { version?: number };
  if (p?.version === 3) return p as Profile;
  if (p?.version === 2) return { ...emptyProfile(), ...p, version: 3 };
  return emptyProfile();
}

/** Pure: returns a new profile with the prompt counted, with what the prompt model says of it. */
export function addPrompt(profile: Profile, p: ClassifiedPrompt, evidence: PromptEvidence): Profile {
  const out = structuredClone(profile);
  countPrompt(out, p, evidence);
  return out;
}

/** `addPrompt` in place, for a caller that owns the profile object (a scan over many prompts). */
export function countPrompt(out: Profile, p: ClassifiedPrompt, { llr, explain }: PromptEvidence): void {
  out.n++;
  addToMixture(out.mix, llr);
  if (llr > 0) {
    out.curriculumLike++;
    const last = out.top[TOP_PROMPTS - 1];
    if (!last || llr > last.llr) out.top = keepTop([...out.top, { promptId: p.promptId, subArea: p.subArea, llr: Math.round(llr * 1e3) / 1e3, reasons: explain() }]);
  }
  out.subAreas[p.subArea] = (out.subAreas[p.subArea] ?? 0) + 1;
  if (p.highValue) {
    out.highValue++;
    out.highValueByArea[p.area] = (out.highValueByArea[p.area] ?? 0) + 1;
  }
  const keys = skeletonKeys(p.text);
  if (keys.length) out.skeletonEligible++;
  for (const k of keys) sketchAdd(out.skeletons, k, 1);

  if (out.lastTs !== null && p.ts >= out.lastTs) {
    const g = Math.log10(Math.max(1, (p.ts - out.lastTs) / 1000));
    out.gaps.count++;
    out.gaps.sum += g;
    out.gaps.sumSq += g * g;
  }
  out.firstTs = out.firstTs === null ? p.ts : Math.min(out.firstTs, p.ts);
  out.lastTs = out.lastTs === null ? p.ts : Math.max(out.lastTs, p.ts);
  out.hourOfDay[new Date(p.ts).getUTCHours()]!++;
  const b = String(Math.floor(p.ts / BUCKET_MS));
  out.buckets[b] = (out.buckets[b] ?? 0) + 1;
  if (p.metadata) countMetadata(out, p.ts, b, p.metadata);
  prune(out);

  if (p.highValue) {
    out.examples = keepSmallest([...out.examples, { promptId: p.promptId, subArea: p.subArea, rank: rankOf(p.promptId) }]);
  }
}

function countMetadata(out: Profile, ts: number, bucket: string, m: NonNullable<ClassifiedPrompt['metadata']>): void {
  const text = (k: string) => (typeof m[k] === 'string' && m[k] !== '' ? String(m[k]).toLowerCase() : null);
  const signup = typeof m.signupTs === 'string' ? Date.parse(m.signupTs) : typeof m.signupTs === 'number' ? m.signupTs : NaN;
  out.identity = {
    client: text('userAgent') ?? out.identity.client,
    emailDomain: text('emailDomain') ?? out.identity.emailDomain,
    signupTs: Number.isFinite(signup) ? signup : out.identity.signupTs,
  };
  const model = text('model');
  if (model !== null) {
    const use = out.models[model];
    if (use) {
      use.n++;
      use.firstTs = Math.min(use.firstTs, ts);
    } else if (Object.keys(out.models).length < MAX_MODELS) out.models[model] = { n: 1, firstTs: ts };
  }
  if (typeof m.outputTokens === 'number') {
    out.outputTokens += m.outputTokens;
    out.tokenBuckets[bucket] = (out.tokenBuckets[bucket] ?? 0) + m.outputTokens;
  }
}

/** The profile of both accounts' prompts together (exact except the pooled gap moments). */
export function mergeProfiles(a: Profile, b: Profile): Profile {
  const out = emptyProfile();
  out.n = a.n + b.n;
  out.mix = mergeMixtures(a.mix, b.mix);
  out.curriculumLike = a.curriculumLike + b.curriculumLike;
  out.top = keepTop([...a.top, ...b.top.filter((e) => !a.top.some((x) => x.promptId === e.promptId))]);
  out.firstTs = minNullable(a.firstTs, b.firstTs);
  out.lastTs = maxNullable(a.lastTs, b.lastTs);
  out.subAreas = addRecords(a.subAreas, b.subAreas);
  out.highValue = a.highValue + b.highValue;
  out.highValueByArea = addRecords(a.highValueByArea, b.highValueByArea);
  out.skeletonEligible = a.skeletonEligible + b.skeletonEligible;
  out.skeletons = { ...a.skeletons };
  for (const [k, c] of Object.entries(b.skeletons)) sketchAdd(out.skeletons, k, c);
  out.hourOfDay = a.hourOfDay.map((x, i) => x + (b.hourOfDay[i] ?? 0));
  out.buckets = addRecords(a.buckets, b.buckets);
  out.peak24h = Math.max(a.peak24h, b.peak24h);
  out.gaps = { count: a.gaps.count + b.gaps.count, sum: a.gaps.sum + b.gaps.sum, sumSq: a.gaps.sumSq + b.gaps.sumSq };
  out.examples = keepSmallest([...a.examples, ...b.examples.filter((e) => !a.examples.some((x) => x.promptId === e.promptId))]);
  out.identity = b.identity;
  out.models = structuredClone(a.models);
  for (const [name, use] of Object.entries(b.models)) {
    const mine = out.models[name];
    if (mine) out.models[name] = { n: mine.n + use.n, firstTs: Math.min(mine.firstTs, use.firstTs) };
    else if (Object.keys(out.models).length < MAX_MODELS) out.models[name] = { ...use };
  }
  out.outputTokens = a.outputTokens + b.outputTokens;
  out.tokenBuckets = addRecords(a.tokenBuckets, b.tokenBuckets);
  prune(out);
  return out;
}

/** Misra-Gries update: when full, a new key decrements every counter instead of evicting one. */
function sketchAdd(sketch: Record<string, number>, key: string, count: number): void {
  if (key in sketch) {
    sketch[key]! += count;
    return;
  }
  sketch[key] = count;
  const keys = Object.keys(sketch);
  if (keys.length <= SKETCH_SIZE) return;
  const dec = Math.min(...keys.map((k) => sketch[k]!));
  for (const k of keys) {
    sketch[k]! -= dec;
    if (sketch[k]! <= 0) delete sketch[k];
  }
}

/** Drops buckets older than the retention window, folding them into `peak24h` first. */
function prune(p: Profile): void {
  p.peak24h = Math.max(p.peak24h, maxWindow(p.buckets, BUCKETS_PER_DAY));
  if (p.lastTs === null) return;
  const oldest = Math.floor((p.lastTs - RETENTION_MS) / BUCKET_MS);
  for (const k of Object.keys(p.buckets)) if (Number(k) < oldest) delete p.buckets[k];
  for (const k of Object.keys(p.tokenBuckets)) if (Number(k) < oldest) delete p.tokenBuckets[k];
}

/** Largest sum over `width` consecutive buckets. */
function maxWindow(buckets: Record<string, number>, width: number): number {
  const idx = Object.keys(buckets).map(Number).sort((x, y) => x - y);
  let best = 0;
  let sum = 0;
  let lo = 0;
  for (let hi = 0; hi < idx.length; hi++) {
    sum += buckets[idx[hi]!]!;
    while (idx[hi]! - idx[lo]! >= width) sum -= buckets[idx[lo++]!]!;
    best = Math.max(best, sum);
  }
  return best;
}

function keepTop(xs: CurriculumPrompt[]): CurriculumPrompt[] {
  return xs.sort((x, y) => y.llr - x.llr || (x.promptId < y.promptId ? -1 : 1)).slice(0, TOP_PROMPTS);
}

function keepSmallest(xs: ExamplePrompt[]): ExamplePrompt[] {
  return xs.sort((x, y) => x.rank - y.rank || (x.promptId < y.promptId ? -1 : 1)).slice(0, EXAMPLES);
}

/** FNV-1a: a stable pseudo-random rank per promptId, so the bottom-k sample is order-independent. */
function rankOf(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return h >>> 0;
}

function addRecords(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function minNullable(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}

function maxNullable(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}
