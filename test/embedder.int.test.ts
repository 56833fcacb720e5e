// Integration test on the real default model (models/glove-sif-100d, built by `npm install` via
// `prepare`; built here if missing, which takes ~20-30 s).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { AutoTokenizer, env, pipeline } from '@huggingface/transformers';
import type { Embedder } from '../src/model/ports/embedder.js';
import { createTransformersEmbedder } from '../src/adapters/transformers/transformers-embedder.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const modelsDir = path.join(root, 'models');
const MODEL = 'glove-sif-100d';

const dot = (a: Float32Array, b: Float32Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
};
const maxAbsDiff = (a: Float32Array, b: Float32Array): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

let embedder: Embedder;

beforeAll(async () => {
  if (!existsSync(path.join(modelsDir, MODEL, 'build-info.json'))) {
    execFileSync(process.execPath, [path.join(modelsDir, 'build.mjs'), '--if-missing'], { stdio: 'inherit' });
  }
  embedder = await createTransformersEmbedder({ modelsDir, model: MODEL, batchSize: 4 });
}, 180_000);

describe('transformers embedder on glove-sif-100d', () => {
  it('returns unit vectors of the model dimension, in input order', async () => {
    expect(embedder.modelId).toBe(MODEL);
    expect(embedder.dimension).toBe(100);
    const texts = [
      'short',
      'a much longer text about configuring a web server with reverse proxies and TLS certificates',
      '',
      '   ',
      'medium length text about databases',
    ];
    const vecs = await embedder.embed(texts);
    expect(vecs).toHaveLength(texts.length);
    for (const v of vecs) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(100);
      expect(Math.abs(Math.sqrt(dot(v, v)) - 1)).toBeLessThan(1e-5);
    }
    // Order is preserved although texts are regrouped by length internally.
    const [single] = await embedder.embed([texts[4] as string]);
    expect(maxAbsDiff(vecs[4] as Float32Array, single as Float32Array)).toBeLessThan(1e-6);
    expect(await embedder.embed([])).toEqual([]);
  });

  it('puts two coding requests closer together than coding and cooking', async () => {
    const [codeA, codeB, cook] = await embedder.embed([
      'Write a Python function that parses a JSON file and returns the list of users sorted by age.',
      'Implement a JavaScript function to read a CSV file and sort the records by date.',
      'Give me a recipe for a chocolate cake with a creamy frosting, baked in the oven.',
    ]);
    const sameTopic = dot(codeA as Float32Array, codeB as Float32Array);
    const otherTopic = dot(codeA as Float32Array, cook as Float32Array);
    expect(sameTopic).toBeGreaterThan(otherTopic + 0.2);
  });

  it('gives the same vector for a text alone and inside a batch (within 1e-5)', async () => {
    const texts = Array.from({ length: 23 }, (_, i) =>
      i % 3 === 0
        ? `question ${i}: how do I reverse a linked list in C++ without recursion?`
        : `prompt number ${i} ${'about distributed systems and consensus '.repeat(i % 5)}`,
    );
    const batch = await embedder.embed(texts);
    for (const i of [0, 5, 11, 22]) {
      const [alone] = await embedder.embed([texts[i] as string]);
      expect(maxAbsDiff(batch[i] as Float32Array, alone as Float32Array)).toBeLessThan(1e-5);
    }
  });

  it('matches the plain feature-extraction pipeline (mean pooling + normalize)', async () => {
    env.localModelPath = `${modelsDir}${path.sep}`;
    env.allowRemoteModels = false;
    const fe = await pipeline('feature-extraction', MODEL, { local_files_only: true, dtype: 'fp32' });
    const texts = ['Deploy the app to Kubernetes with Helm', 'x', 'What is 2 + 2?', 'Übersetze das ins Deutsche: 你好'];
    const ref = await fe(texts, { pooling: 'mean', normalize: true });
    expect(ref.dims).toEqual([texts.length, 100]);
    const ours = await embedder.embed(texts);
    const data = ref.data as Float32Array;
    texts.forEach((_, i) => {
      expect(maxAbsDiff(ours[i] as Float32Array, data.subarray(i * 100, (i + 1) * 100))).toBeLessThan(1e-5);
    });
  }, 60_000);

  it('lets an unknown word change the vector', async () => {
    const [withWord, without] = await embedder.embed(['deploy it with zxqvbnmk', 'deploy it with']);
    expect(1 - dot(withWord as Float32Array, without as Float32Array)).toBeGreaterThan(1e-3);
  });

  it('splits words GloVe lacks into pieces instead of [UNK]', async () => {
    env.localModelPath = `${modelsDir}${path.sep}`;
    env.allowRemoteModels = false;
    const tokenizer = await AutoTokenizer.from_pretrained(MODEL, { local_files_only: true });
    const unk = tokenizer.unk_token_id;
    for (const word of ['kubernetes', 'pytest', 'dockerfile', 'async', 'regex', 'get_user_by_id', 'zxqvbnm', 'Ｋｕｂｅｒｎｅｔｅｓ', '2024', '日本語']) {
      const ids = tokenizer.encode(word, { add_special_tokens: false });
      expect(ids.length, word).toBeGreaterThan(0);
      expect(ids, word).not.toContain(unk);
    }
    // No special tokens are added around a text (they would add a constant to every mean).
    expect(tokenizer.encode('hello world')).toHaveLength(2);
  }, 60_000);
});
