/**
 * What one prompt looks like, as sparse hashed features for the curriculum model. Text only (no
 * embedding), so the same features are computed at ingest, in a score fold, offline and in tests.
 *
 * The features describe how a prompt is written as much as what it is about: words and word pairs,
 * how it opens and ends, its length, line structure and symbols. Instruction and benchmark data is
 * self-contained, generic and edited; people's own requests carry context, first-person situations,
 * their own code and errors, or are bare search phrases. Which of these matter, and how much, is
 * learned from labelled public prompts (`npm run train`), not chosen by hand.
 */

export const FEATURE_BITS = 15;
const MASK = (1 << FEATURE_BITS) - 1;

export interface SparseFeatures {
  idx: Int32Array;
  val: Float32Array;
}

const TOKEN = /\p{L}+|\d+|[^\s\p{L}\p{N}]/gu;

/** Lower-cased word, number (folded to 0) and symbol tokens. */
function tokenize(text: string): string[] {
  return (text.toLowerCase().match(TOKEN) ?? []).map((t) => (t.charCodeAt(0) >= 48 && t.charCodeAt(0) <= 57 ? '0' : t));
}

// Who speaks: people write about themselves and their situation; datasets address nobody.
const FIRST_PERSON = new Set(['i', 'me', 'my', 'mine', 'myself']);
const WE = new Set(['we', 'us', 'our', 'ours']);
const YOU = new Set(['you', 'your', 'yours']);
const QUESTION = new Set(['?']);
const count = (tokens: readonly string[], set: ReadonlySet<string>) => tokens.reduce((n, t) => n + (set.has(t) ? 1 : 0), 0);
const bucket = (n: number) => (n === 0 ? '0' : n === 1 ? '1' : n <= 3 ? '2-3' : '4+');

/** Named shape features of a prompt: the readable part of the model, also used in explanations. */
function shapeFeatures(text: string, tokens: readonly string[]): string[] {
  const out: string[] = [];
  const trimmed = text.trim();
  const lines = trimmed.split('\n').filter((l) => l.trim()).length;
  out.push(`len:${Math.min(12, Math.floor(Math.log2(1 + trimmed.length)))}`);
  out.push(`lines:${lines <= 1 ? '1' : lines <= 3 ? '2-3' : lines <= 8 ? '4-8' : '9+'}`);
  const first = trimmed.charAt(0);
  out.push(first === first.toLowerCase() && first !== first.toUpperCase() ? 'case:lower-start' : 'case:other-start');
  const last = trimmed.charAt(trimmed.length - 1);
  out.push(/[.?!:;)"'`\]]/.test(last) ? `end:${last}` : /\p{L}/u.test(last) ? 'end:letter' : /\d/.test(last) ? 'end:digit' : 'end:other');
  if (trimmed.includes('```')) out.push('has:code-fence');
  if (/\$[^$\n]+\$/.test(trimmed)) out.push('has:latex');
  if (/https?:\/\//.test(trimmed)) out.push('has:url');
  if (/^\s*(?:[-*•]|\d+[.)]|\(?[a-e]\))\s/m.test(trimmed)) out.push('has:list');
  if (lines > 1) {
    // Forum posts open with a title line, instruction data with an instruction sentence.
    const head = trimmed.split('\n')[0]!.trim();
    out.push(`head-end:${/[.?!:]$/.test(head) ? head.slice(-1) : 'none'}`);
    out.push(`head-words:${Math.min(5, Math.floor(Math.log2(1 + head.split(/\s+/).length)))}`);
  }
  out.push(`first-person:${bucket(count(tokens, FIRST_PERSON))}`);
  out.push(`we:${bucket(count(tokens, WE))}`);
  out.push(`you:${bucket(count(tokens, YOU))}`);
  out.push(`questions:${bucket(count(tokens, QUESTION))}`);
  if (/`[^`\n]+`/.test(trimmed)) out.push('has:inline-code');
  const words = tokens.filter((t) => /\p{L}/u.test(t)).length;
  const symbols = tokens.length - words;
  out.push(`symbols:${Math.min(5, Math.floor((10 * symbols) / Math.max(1, tokens.length)))}`);
  out.push(`words:${Math.min(10, Math.floor(Math.log2(1 + words)))}`);
  return out;
}

/**
 * Named features with values: shape features (1 each), the first two and last two tokens, and word
 * unigrams and bigrams scaled by 1/sqrt(count) so a long prompt does not outvote a short one by
 * length alone.
 */
export function namedFeatures(text: string): Map<string, number> {
  const tokens = tokenize(text);
  const out = new Map<string, number>([['bias', 1]]);
  for (const s of shapeFeatures(text, tokens)) out.set(s, 1);
  if (tokens.length) {
    out.set(`first:${tokens[0]}`, 1);
    out.set(`first2:${tokens.slice(0, 2).join(' ')}`, 1);
    out.set(`last:${tokens[tokens.length - 1]}`, 1);
    out.set(`last2:${tokens.slice(-2).join(' ')}`, 1);
  }
  const bag = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    bag.add(`w:${tokens[i]}`);
    if (i + 1 < tokens.length) bag.add(`b:${tokens[i]} ${tokens[i + 1]}`);
  }
  const scale = 1 / Math.sqrt(Math.max(1, bag.size));
  for (const k of bag) out.set(k, (out.get(k) ?? 0) + scale);
  return out;
}

export const featureIndex = (name: string) => hash(name) & MASK;

/** `namedFeatures` hashed into the model's weight vector (colliding names add up). */
export function promptFeatures(text: string): SparseFeatures {
  const acc = new Map<number, number>();
  for (const [name, v] of namedFeatures(text)) {
    const h = featureIndex(name);
    acc.set(h, (acc.get(h) ?? 0) + v);
  }
  return { idx: Int32Array.from(acc.keys()), val: Float32Array.from(acc.values()) };
}

/** A feature name as an analyst reads it. */
export function describeFeature(name: string): string {
  const [kind, rest = ''] = [name.slice(0, name.indexOf(':')), name.slice(name.indexOf(':') + 1)];
  switch (kind) {
    case 'w':
      return `the word "${rest}"`;
    case 'b':
      return `the words "${rest}"`;
    case 'first':
    case 'first2':
      return `opens with "${rest}"`;
    case 'last':
    case 'last2':
      return `ends with "${rest}"`;
    case 'len':
      return `length about ${2 ** Number(rest)} characters`;
    case 'words':
      return `about ${2 ** Number(rest)} words`;
    case 'lines':
      return `${rest} lines`;
    case 'symbols':
      return `${Number(rest) * 10}% symbols`;
    case 'case':
      return rest === 'lower-start' ? 'starts in lower case' : 'starts capitalised';
    case 'end':
      return `ends with ${rest === 'letter' || rest === 'digit' || rest === 'other' ? `a ${rest}` : `"${rest}"`}`;
    case 'has':
      return `has a ${rest}`;
    default:
      return name;
  }
}

/** FNV-1a over UTF-16 code units: stable across processes and machines. */
export function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
