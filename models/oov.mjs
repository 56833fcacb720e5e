#!/usr/bin/env node
// Out-of-vocabulary report for the built tokenizer over prompt pools:
//
//   node models/oov.mjs [--prompts ../shared/data/prompts] [--model glove-sif-100d] [--models models]
//
// Reads every *.jsonl under --prompts (one JSON object per line with a `text` field), runs the
// model's own normaliser + pre-tokenizer, and classifies each pre-tokenised word:
//   glove   the word is a GloVe vocabulary entry (one token with a real GloVe vector)
//   synth   one token with a synthetic vector (single letter such as "a"/"i", or a numeral)
//   pieces  not in the vocabulary; WordPiece split it into ## pieces
//   unk     fell to [UNK] (no vector at all)
// "oov" = pieces + unk + synth, i.e. everything GloVe itself did not have.
// Prints a table per pool and overall; the last line is one JSON object with the overall figures.

import { parseArgs } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function readArgs(args) {
  const { values } = parseArgs({
    args,
    options: {
      prompts: { type: 'string', default: path.resolve(here, '../../shared/data/prompts') },
      model: { type: 'string', default: 'glove-sif-100d' },
      models: { type: 'string', default: here },
    },
  });
  return { prompts: path.resolve(values.prompts), model: values.model, models: path.resolve(values.models) };
}

const opts = readArgs(process.argv.slice(2));
const { AutoTokenizer, env } = await import('@huggingface/transformers');
env.localModelPath = opts.models.endsWith('/') ? opts.models : `${opts.models}/`;
env.allowRemoteModels = false;
const tokenizer = await AutoTokenizer.from_pretrained(opts.model, { local_files_only: true });
let gloveTokens = Infinity;
try {
  gloveTokens = JSON.parse(fs.readFileSync(path.join(opts.models, opts.model, 'build-info.json'), 'utf8')).gloveTokens;
} catch {
  // Not one of our builds: every whole-word token counts as "glove".
}
const FIRST_GLOVE_ID = 2; // [PAD], [UNK] come first in our vocabulary
const wp = tokenizer.model;
const unk = wp.unk_token;
const maxLen = tokenizer.model_max_length ?? Infinity;

const files = fs
  .readdirSync(opts.prompts)
  .filter((f) => f.endsWith('.jsonl'))
  .sort();
if (files.length === 0) throw new Error(`no *.jsonl in ${opts.prompts}`);

const empty = () => ({ prompts: 0, words: 0, glove: 0, synth: 0, pieces: 0, unk: 0, truncated: 0 });
const total = empty();
const unkExamples = new Map();
const pieceExamples = new Map();
const synthExamples = new Map();
const rows = [];
for (const f of files) {
  const s = empty();
  for (const line of fs.readFileSync(path.join(opts.prompts, f), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const text = JSON.parse(line).text;
    if (typeof text !== 'string') continue;
    s.prompts++;
    const normalized = tokenizer.normalizer ? tokenizer.normalizer(text) : text;
    const words = tokenizer.pre_tokenizer ? tokenizer.pre_tokenizer(normalized) : normalized.split(/\s+/);
    let nTokens = 0;
    for (const w of words) {
      s.words++;
      const id = wp.tokens_to_ids.get(w);
      if (id !== undefined) {
        nTokens++;
        if (id >= FIRST_GLOVE_ID && id < FIRST_GLOVE_ID + gloveTokens) s.glove++;
        else {
          s.synth++;
          const key = /^[0-9]+$/.test(w) ? '<numeral>' : w;
          synthExamples.set(key, (synthExamples.get(key) ?? 0) + 1);
        }
        continue;
      }
      const pieces = wp.encode([w]);
      nTokens += pieces.length;
      if (pieces.includes(unk)) {
        s.unk++;
        unkExamples.set(w, (unkExamples.get(w) ?? 0) + 1);
      } else {
        s.pieces++;
        pieceExamples.set(w, (pieceExamples.get(w) ?? 0) + 1);
      }
    }
    if (nTokens > maxLen) s.truncated++;
  }
  rows.push([f.replace(/\.jsonl$/, ''), s]);
  for (const k of Object.keys(total)) total[k] += s[k];
}
rows.push(['ALL', total]);

const pct = (x, n) => (n ? (100 * x) / n : 0);
const fmt = (x) => `${x.toFixed(2).padStart(6)}%`;
process.stdout.write(
  `${'pool'.padEnd(24)} ${'prompts'.padStart(7)} ${'words'.padStart(9)}    oov  pieces   synth     unk  >${maxLen}tok\n`,
);
for (const [name, s] of rows) {
  process.stdout.write(
    `${name.padEnd(24)} ${String(s.prompts).padStart(7)} ${String(s.words).padStart(9)} ${fmt(pct(s.pieces + s.unk + s.synth, s.words))} ${fmt(
      pct(s.pieces, s.words),
    )} ${fmt(pct(s.synth, s.words))} ${fmt(pct(s.unk, s.words))} ${fmt(pct(s.truncated, s.prompts))}\n`,
  );
}
const top = (m, n) =>
  [...m]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([w, c]) => `${w}(${c})`)
    .join(' ');
process.stdout.write(`most frequent piece-split words: ${top(pieceExamples, 25)}\n`);
process.stdout.write(`most frequent synthetic-vector words: ${top(synthExamples, 12)}\n`);
process.stdout.write(`most frequent [UNK] words: ${top(unkExamples, 25)}\n`);
process.stdout.write(
  `${JSON.stringify({
    model: opts.model,
    prompts: total.prompts,
    words: total.words,
    oovRate: pct(total.pieces + total.unk + total.synth, total.words) / 100,
    piecesRate: pct(total.pieces, total.words) / 100,
    synthRate: pct(total.synth, total.words) / 100,
    unkRate: pct(total.unk, total.words) / 100,
    truncatedPromptRate: pct(total.truncated, total.prompts) / 100,
  })}\n`,
);
