import path from 'node:path';
import { endianness } from 'node:os';
import { env, pipeline, Tensor } from '@huggingface/transformers';
import type { Embedder } from '../../model/ports/embedder.js';

export interface TransformersEmbedderOptions {
  /** Directory holding one sub-directory per model (`<modelsDir>/<model>/config.json`, `onnx/model.onnx`, ...). */
  modelsDir: string;
  /** Model name = sub-directory of modelsDir, e.g. `glove-sif-100d` or `Xenova/all-MiniLM-L6-v2`. */
  model: string;
  /** Texts per tokenizer call and at most per ONNX run (default 256). */
  batchSize?: number;
  /** Texts are cut to this many UTF-16 code units before tokenising (default 4000). */
  maxChars?: number;
}

/** The slice of the transformers.js tokenizer we use (its types declare the call as `any`). */
type TokenizeFn = (
  texts: string[],
  options: { padding: false; truncation: true; return_tensor: false },
) => { input_ids: number[][] };
type ModelFn = (inputs: Record<string, Tensor>) => Promise<Record<string, Tensor | undefined>>;

const DEFAULT_BATCH_SIZE = 256;
const DEFAULT_MAX_CHARS = 4000;
/** Upper bound on batch x padded length of one model run. */
const MAX_RUN_CELLS = 16_384;
/** A run is not cut for padding's sake before it holds this many real tokens (runs have a fixed cost). */
const MIN_RUN_TOKENS = 512;
/** Used when neither the tokenizer nor the config bounds the sequence length. */
const FALLBACK_MAX_TOKENS = 512;

/**
 * Loads a sentence model in the Hugging Face transformers.js layout from `<modelsDir>/<model>/`
 * (local files only, never the network) and embeds texts as mean-pooled, L2-normalised vectors:
 * the same numbers as `pipeline('feature-extraction')(texts, { pooling: 'mean', normalize: true })`.
 *
 * It goes through the pipeline's own tokenizer (tokenizer.json) and model, but does the batching
 * itself, because on a small CPU the pipeline's call is dominated by work that is not embedding:
 * padding every text of a batch to the longest one, building int64 tensors one BigInt at a time,
 * and pooling with a BigInt->Number conversion per element. Here texts of one `embed` call are
 * tokenised unpadded, sorted by token count so each ONNX run pads almost nothing, fed as int64
 * tensors filled through an int32 view, and pooled over the real lengths; results go back in the
 * caller's order.
 *
 * A text that yields no tokens (empty, whitespace only) or a zero vector gets a fixed unit vector
 * (all components 1/sqrt(d)), so every returned vector has unit length.
 *
 * Note: transformers.js keeps `env.localModelPath` process-wide; embedders for different
 * modelsDir should be created one after the other, not concurrently.
 */
export async function createTransformersEmbedder(opts: TransformersEmbedderOptions): Promise<Embedder> {
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? DEFAULT_BATCH_SIZE));
  const maxChars = Math.max(1, Math.floor(opts.maxChars ?? DEFAULT_MAX_CHARS));

  env.localModelPath = path.resolve(opts.modelsDir) + path.sep;
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  const extractor = await pipeline('feature-extraction', opts.model, {
    local_files_only: true,
    dtype: 'fp32',
    // One non-spinning ORT thread: the service already runs the model beside HTTP, Redis and the
    // index on few cores, and a spinning pool burns a core between runs.
    session_options: { intraOpNumThreads: 1, interOpNumThreads: 1, extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } } },
  });

  const tokenizer = extractor.tokenizer;
  const tokenize = tokenizer as unknown as TokenizeFn;
  const model = extractor.model as unknown as ModelFn;
  const config = extractor.model.config as unknown as Record<string, unknown>;
  const padId = typeof tokenizer.pad_token_id === 'number' ? tokenizer.pad_token_id : 0;
  const maxTokens = sequenceLimit(tokenizer.model_max_length, config['max_position_embeddings']);
  const littleEndian = endianness() === 'LE';

  let dimension = 0;
  let fallback = new Float32Array(0);

  const prepare = (text: string): string => {
    if (text.length <= maxChars) return text;
    let cut = text.slice(0, maxChars);
    const last = cut.charCodeAt(cut.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1); // don't leave half a surrogate pair
    return cut;
  };

  /** Runs the model on texts that all have >= 1 token; returns one unit vector per id list. */
  const runModel = async (ids: number[][]): Promise<Float32Array[]> => {
    const n = ids.length;
    let maxLen = 1;
    for (const row of ids) if (row.length > maxLen) maxLen = row.length;
    const inputIds = new BigInt64Array(n * maxLen);
    const mask = new BigInt64Array(n * maxLen);
    if (littleEndian) {
      // int64 values < 2^31 are (low word = value, high word = 0) in little-endian memory.
      const ids32 = new Int32Array(inputIds.buffer);
      const mask32 = new Int32Array(mask.buffer);
      if (padId !== 0) for (let c = 0; c < n * maxLen; c++) ids32[2 * c] = padId;
      for (let i = 0; i < n; i++) {
        const row = ids[i] as number[];
        const base = 2 * i * maxLen;
        for (let j = 0; j < row.length; j++) {
          ids32[base + 2 * j] = row[j] as number;
          mask32[base + 2 * j] = 1;
        }
      }
    } else {
      inputIds.fill(BigInt(padId));
      for (let i = 0; i < n; i++) {
        const row = ids[i] as number[];
        for (let j = 0; j < row.length; j++) {
          inputIds[i * maxLen + j] = BigInt(row[j] as number);
          mask[i * maxLen + j] = 1n;
        }
      }
    }
    const out = await model({
      input_ids: new Tensor('int64', inputIds, [n, maxLen]),
      attention_mask: new Tensor('int64', mask, [n, maxLen]),
    });
    const hidden = out['last_hidden_state'] ?? out['logits'] ?? out['token_embeddings'];
    if (!hidden || hidden.dims.length !== 3 || !(hidden.data instanceof Float32Array)) {
      throw new Error(`model ${opts.model} did not return a float32 [batch, seq, dim] last_hidden_state`);
    }
    const data = hidden.data;
    const dim = hidden.dims[2] as number;
    const seq = hidden.dims[1] as number;
    const result: Float32Array[] = new Array<Float32Array>(n);
    const acc = new Float64Array(dim);
    for (let i = 0; i < n; i++) {
      const len = (ids[i] as number[]).length;
      const base = i * seq * dim;
      // One scalar accumulator per dimension (strided reads) is ~2x faster in V8 than adding
      // token rows into an accumulator array.
      for (let k = 0; k < dim; k++) {
        let sum = 0;
        for (let j = 0, o = base + k; j < len; j++, o += dim) sum += data[o] as number;
        acc[k] = sum;
      }
      // Mean then L2 normalisation, as the pipeline does; the 1/len cancels in the normalisation.
      let sq = 0;
      for (let k = 0; k < dim; k++) sq += (acc[k] as number) * (acc[k] as number);
      const norm = Math.sqrt(sq);
      const v = new Float32Array(dim);
      if (norm > 0 && Number.isFinite(norm)) {
        for (let k = 0; k < dim; k++) v[k] = (acc[k] as number) / norm;
        result[i] = v;
      } else {
        result[i] = fallbackVector(dim);
      }
    }
    return result;
  };

  const fallbackVector = (dim: number): Float32Array => {
    if (fallback.length !== dim) fallback = new Float32Array(dim).fill(1 / Math.sqrt(dim));
    return fallback.slice();
  };

  const embed = async (texts: readonly string[]): Promise<Float32Array[]> => {
    const n = texts.length;
    const out: Float32Array[] = new Array<Float32Array>(n);
    if (n === 0) return out;

    // 1. Tokenise, unpadded.
    const todo: number[] = Array.from({ length: n }, (_, i) => i);
    const ids: number[][] = new Array<number[]>(n);
    for (let s = 0; s < todo.length; s += batchSize) {
      const chunk = todo.slice(s, s + batchSize);
      const enc = tokenize(
        chunk.map((i) => prepare(texts[i] as string)),
        { padding: false, truncation: true, return_tensor: false },
      );
      chunk.forEach((i, j) => {
        const row = enc.input_ids[j] ?? [];
        ids[i] = row.length > maxTokens ? row.slice(0, maxTokens) : row;
      });
    }

    // 2. Model runs over texts sorted by token count, so a run pads little: the model's cost is
    //    runs x fixed overhead + batch x padded length. A run ends at batchSize texts, at
    //    MAX_RUN_CELLS padded tokens (big output tensors get disproportionately slow to allocate
    //    and copy), or when padding would exceed a fifth of it once it is big enough to be worth
    //    a separate run.
    const order = todo.filter((i) => (ids[i] as number[]).length > 0);
    const len = (i: number): number => (ids[i] as number[]).length;
    order.sort((a, b) => len(a) - len(b) || a - b);
    const chunks: number[][] = [];
    let current: number[] = [];
    let realTokens = 0;
    for (const i of order) {
      const l = len(i);
      const cells = (current.length + 1) * l;
      if (
        current.length > 0 &&
        (current.length === batchSize ||
          cells > MAX_RUN_CELLS ||
          (cells - realTokens - l > 0.2 * cells && realTokens >= MIN_RUN_TOKENS))
      ) {
        chunks.push(current);
        current = [];
        realTokens = 0;
      }
      current.push(i);
      realTokens += l;
    }
    if (current.length > 0) chunks.push(current);
    for (const chunk of chunks) {
      const vecs = await runModel(chunk.map((i) => ids[i] as number[]));
      chunk.forEach((i, j) => {
        out[i] = vecs[j] as Float32Array;
      });
    }

    // 3. Texts without tokens (empty or whitespace-only, for models that add no special tokens).
    for (let i = 0; i < n; i++) if (out[i] === undefined) out[i] = fallbackVector(dimension);
    return out;
  };

  // Probe once for the output width (works for any model; config field names differ).
  const probe = await embed(['dimension probe']);
  dimension = probe[0]?.length ?? 0;
  if (!(dimension > 0)) throw new Error(`model ${opts.model} produced no embedding`);

  return { modelId: opts.model, dimension, embed };
}

function sequenceLimit(tokenizerMax: unknown, positions: unknown): number {
  let limit = Infinity;
  if (typeof tokenizerMax === 'number' && tokenizerMax > 0) limit = Math.min(limit, tokenizerMax);
  if (typeof positions === 'number' && positions > 0) limit = Math.min(limit, positions);
  return Number.isFinite(limit) && limit < 1e6 ? Math.floor(limit) : FALLBACK_MAX_TOKENS;
}
