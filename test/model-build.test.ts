// The hand-written ONNX writer, the built default model's files, and the embedder on a model that
// is *not* ours (a tiny synthetic BERT-style model with [CLS]/[SEP], token_type_ids and a
// non-zero pad id), so "any model dir in the same layout works" is checked without a hub.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env, pipeline } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { createTransformersEmbedder } from '../src/adapters/transformers/transformers-embedder.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const modelsDir = path.join(root, 'models');
const MODEL = 'glove-sif-100d';

type Chunk = Buffer[];
interface OnnxWriter {
  DataType: { FLOAT: number; INT64: number };
  modelProtoChunks(m: {
    graphName: string;
    nodes: Chunk[];
    initializers: Chunk[];
    inputs: Chunk[];
    outputs: Chunk[];
  }): Buffer[];
  nodeProto(n: { opType: string; inputs: string[]; outputs: string[]; attributes?: Record<string, number | number[]> }): Chunk;
  tensorProto(t: { name: string; dataType: number; dims: number[]; raw: Float32Array | BigInt64Array }): Chunk;
  valueInfo(v: { name: string; elemType: number; shape: (number | string)[] }): Chunk;
}
const writerPath: string = path.join(modelsDir, 'onnx-writer.mjs');
const loadWriter = async (): Promise<OnnxWriter> => (await import(writerPath)) as OnnxWriter;

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'distill-radar-model-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('onnx-writer', () => {
  it('writes a Gather graph that onnxruntime loads and runs', async () => {
    const w = await loadWriter();
    const table = Float32Array.from({ length: 5 * 3 }, (_, i) => i);
    const bytes = Buffer.concat(
      w.modelProtoChunks({
        graphName: 'g',
        nodes: [w.nodeProto({ opType: 'Gather', inputs: ['embeddings', 'input_ids'], outputs: ['y'], attributes: { axis: 0 } })],
        initializers: [w.tensorProto({ name: 'embeddings', dataType: w.DataType.FLOAT, dims: [5, 3], raw: table })],
        inputs: [w.valueInfo({ name: 'input_ids', elemType: w.DataType.INT64, shape: ['b', 's'] })],
        outputs: [w.valueInfo({ name: 'y', elemType: w.DataType.FLOAT, shape: ['b', 's', 3] })],
      }),
    );
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toEqual(['input_ids']);
    const out = await session.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from([4n, 0n]), [1, 2]) });
    const y = out['y'];
    expect(y?.dims).toEqual([1, 2, 3]);
    expect(Array.from(y?.data as Float32Array)).toEqual([12, 13, 14, 0, 1, 2]);
  });
});

describe('built default model', () => {
  const dir = path.join(modelsDir, MODEL);
  beforeAll(() => {
    if (!existsSync(path.join(dir, 'build-info.json'))) {
      execFileSync(process.execPath, [path.join(modelsDir, 'build.mjs'), '--if-missing'], { stdio: 'inherit' });
    }
  }, 180_000);

  it('has the transformers.js layout and a build-info whose hash matches the files', () => {
    const info = JSON.parse(readFileSync(path.join(dir, 'build-info.json'), 'utf8')) as {
      vocabSize: number;
      dimensions: number;
      contentSha256: string;
    };
    const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config['model_type']).toBe('bert');
    expect(config['hidden_size']).toBe(100);
    const tokenizer = JSON.parse(readFileSync(path.join(dir, 'tokenizer.json'), 'utf8')) as {
      model: { type: string; vocab: Record<string, number> };
      post_processor: unknown;
    };
    expect(tokenizer.model.type).toBe('WordPiece');
    expect(tokenizer.post_processor).toBeNull();
    expect(Object.keys(tokenizer.model.vocab)).toHaveLength(info.vocabSize);
    // raw_data of the [vocab, dim] float table dominates the file.
    expect(statSync(path.join(dir, 'onnx/model.onnx')).size).toBeGreaterThan(info.vocabSize * info.dimensions * 4);

    const hash = createHash('sha256');
    for (const f of ['config.json', 'tokenizer_config.json', 'tokenizer.json', 'onnx/model.onnx']) {
      hash.update(`${f}\0`);
      hash.update(readFileSync(path.join(dir, f)));
    }
    expect(hash.digest('hex')).toBe(info.contentSha256);
  });

  it('--if-missing leaves a complete model alone, quickly', () => {
    const before = statSync(path.join(dir, 'onnx/model.onnx')).mtimeMs;
    const t0 = Date.now();
    execFileSync(process.execPath, [path.join(modelsDir, 'build.mjs'), '--if-missing'], { stdio: 'pipe' });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(statSync(path.join(dir, 'onnx/model.onnx')).mtimeMs).toBe(before);
  });
});

describe('embedder on a foreign model layout', () => {
  // Vocabulary with the pad token deliberately not at id 0.
  const vocabList = ['[UNK]', '[CLS]', '[SEP]', 'hello', 'world', '[PAD]', 'deploy', 'the', 'app', '##s', 'cat'];
  const vocab = Object.fromEntries(vocabList.map((t, i) => [t, i]));
  const D = 4;
  const MODEL_ID = 'acme/tiny-bert';

  beforeAll(async () => {
    const w = await loadWriter();
    const dir = path.join(tmp, 'acme', 'tiny-bert');
    mkdirSync(path.join(dir, 'onnx'), { recursive: true });
    const table = Float32Array.from({ length: vocabList.length * D }, (_, i) => Math.sin(i * 1.7) + 0.1 * (i % 5));
    const typeTable = Float32Array.from([0.5, -0.25, 0.125, 1]);
    // last_hidden_state = (E[input_ids] + T[token_type_ids]) * attention_mask, like an encoder
    // that needs all three inputs.
    const bytes = Buffer.concat(
      w.modelProtoChunks({
        graphName: 'tiny',
        nodes: [
          w.nodeProto({ opType: 'Gather', inputs: ['E', 'input_ids'], outputs: ['h0'], attributes: { axis: 0 } }),
          w.nodeProto({ opType: 'Gather', inputs: ['T', 'token_type_ids'], outputs: ['h1'], attributes: { axis: 0 } }),
          w.nodeProto({ opType: 'Add', inputs: ['h0', 'h1'], outputs: ['h2'] }),
          w.nodeProto({ opType: 'Cast', inputs: ['attention_mask'], outputs: ['m'], attributes: { to: w.DataType.FLOAT } }),
          w.nodeProto({ opType: 'Unsqueeze', inputs: ['m', 'axes'], outputs: ['m3'] }),
          w.nodeProto({ opType: 'Mul', inputs: ['h2', 'm3'], outputs: ['last_hidden_state'] }),
        ],
        initializers: [
          w.tensorProto({ name: 'E', dataType: w.DataType.FLOAT, dims: [vocabList.length, D], raw: table }),
          w.tensorProto({ name: 'T', dataType: w.DataType.FLOAT, dims: [1, D], raw: typeTable }),
          w.tensorProto({ name: 'axes', dataType: w.DataType.INT64, dims: [1], raw: BigInt64Array.from([-1n]) }),
        ],
        inputs: ['input_ids', 'attention_mask', 'token_type_ids'].map((name) =>
          w.valueInfo({ name, elemType: w.DataType.INT64, shape: ['batch_size', 'sequence_length'] }),
        ),
        outputs: [w.valueInfo({ name: 'last_hidden_state', elemType: w.DataType.FLOAT, shape: ['batch_size', 'sequence_length', D] })],
      }),
    );
    writeFileSync(path.join(dir, 'onnx', 'model.onnx'), bytes);
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({ model_type: 'bert', architectures: ['BertModel'], hidden_size: D, max_position_embeddings: 512 }),
    );
    writeFileSync(
      path.join(dir, 'tokenizer_config.json'),
      JSON.stringify({ tokenizer_class: 'BertTokenizer', model_max_length: 8, pad_token: '[PAD]', unk_token: '[UNK]', cls_token: '[CLS]', sep_token: '[SEP]' }),
    );
    const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
    writeFileSync(
      path.join(dir, 'tokenizer.json'),
      JSON.stringify({
        version: '1.0',
        truncation: null,
        padding: null,
        added_tokens: [special(0, '[UNK]'), special(1, '[CLS]'), special(2, '[SEP]'), special(5, '[PAD]')],
        normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
        pre_tokenizer: { type: 'BertPreTokenizer' },
        post_processor: {
          type: 'TemplateProcessing',
          single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
          pair: [],
          special_tokens: {
            '[CLS]': { id: '[CLS]', ids: [1], tokens: ['[CLS]'] },
            '[SEP]': { id: '[SEP]', ids: [2], tokens: ['[SEP]'] },
          },
        },
        decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
        model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
      }),
    );
  });

  it('loads by hub-style name and matches the feature-extraction pipeline', async () => {
    const texts = ['hello world', 'deploy the apps', 'cat', 'hello world deploy the app cat cats hello world', '', 'zzz'];
    const embedder = await createTransformersEmbedder({ modelsDir: tmp, model: MODEL_ID, batchSize: 2 });
    expect(embedder.modelId).toBe(MODEL_ID);
    expect(embedder.dimension).toBe(D);
    const ours = await embedder.embed(texts);

    env.localModelPath = `${tmp}${path.sep}`;
    env.allowRemoteModels = false;
    const fe = await pipeline('feature-extraction', MODEL_ID, { local_files_only: true, dtype: 'fp32' });
    const ref = await fe(texts, { pooling: 'mean', normalize: true });
    const data = ref.data as Float32Array;
    texts.forEach((_, i) => {
      const mine = ours[i] as Float32Array;
      for (let k = 0; k < D; k++) expect(mine[k]).toBeCloseTo(data[i * D + k] as number, 5);
    });
  }, 60_000);
});
