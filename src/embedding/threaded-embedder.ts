import { Worker } from 'node:worker_threads';
import type { Embedder } from '../domain/embedder.js';

export interface EmbedThreadOptions {
  modelsDir: string;
  model: string;
  batchSize?: number;
}

export interface EmbedRequest {
  id: number;
  texts: readonly string[];
}

export type ThreadMessage =
  | { type: 'ready'; modelId: string; dimension: number }
  | { type: 'result'; id: number; flat: Float32Array }
  | { type: 'error'; id: number; message: string }
  | { type: 'fatal'; message: string };

interface Pending {
  resolve(v: Float32Array[]): void;
  reject(e: Error): void;
}

/**
 * The default embedder, run on a thread of its own. Tokenising is CPU-bound JavaScript; off the
 * main thread it overlaps with HTTP, Redis and index inserts instead of queueing behind them.
 */
export async function createThreadedEmbedder(opts: EmbedThreadOptions): Promise<Embedder & { close(): Promise<void> }> {
  const worker = new Worker(new URL('./thread-entry.mjs', import.meta.url), { workerData: opts });
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let failure: Error | undefined;

  const ready = await new Promise<{ modelId: string; dimension: number }>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: ThreadMessage) => {
      if (m.type === 'ready') resolve(m);
      else reject(new Error(m.type === 'fatal' ? m.message : `unexpected ${m.type} from embed thread`));
    });
  });

  const failAll = (err: Error) => {
    failure = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('message', (m: ThreadMessage) => {
    if (m.type !== 'result' && m.type !== 'error') return;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.type === 'error') return p.reject(new Error(m.message));
    const out: Float32Array[] = [];
    for (let i = 0; i < m.flat.length; i += ready.dimension) out.push(m.flat.subarray(i, i + ready.dimension));
    p.resolve(out);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`embed thread exited with code ${code}`)));

  return {
    modelId: ready.modelId,
    dimension: ready.dimension,
    embed(texts) {
      if (failure) return Promise.reject(failure);
      if (texts.length === 0) return Promise.resolve([]);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, texts } satisfies EmbedRequest);
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
