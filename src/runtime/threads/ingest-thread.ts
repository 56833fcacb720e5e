import { Worker } from 'node:worker_threads';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { Embedder } from '../../model/ports/embedder.js';
import type { FromThread, ThreadData, ToThread } from './protocol.js';

type Request = ToThread extends infer T ? (T extends { id: number } ? Omit<T, 'id'> : never) : never;

export interface IngestThread {
  /** Embeds on the thread; the API's search queries use this. */
  embedder: Embedder;
  /** Why the thread stopped working, if it did; the process is then not ready. */
  failure(): Error | undefined;
  /** The thread's metrics, to serve alongside the main thread's. */
  metrics(): Promise<MetricObjectWithValues<MetricValue<string>>[]>;
  /** Stops the thread's workers (their jobs finish or go back to the queue), then the thread. */
  close(): Promise<void>;
}

/**
 * The ingest pipeline's CPU-heavy half (job fetch, tokenising, the model, the store commit) on a
 * thread of its own, so it overlaps with the main thread's HTTP handling and index inserts instead
 * of queueing behind them. onnxruntime-node may be loaded by one thread of a process only, so the
 * API's query embeddings come here too.
 */
export async function startIngestThread(data: ThreadData): Promise<IngestThread> {
  const worker = new Worker(new URL('./entry.mjs', import.meta.url), { workerData: data });
  const pending = new Map<number, { resolve(m: FromThread): void; reject(e: Error): void }>();
  let nextId = 0;
  let failure: Error | undefined;

  const ready = await new Promise<{ modelId: string; dimension: number }>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: FromThread) => {
      if (m.type === 'ready') resolve(m);
      else reject(new Error(m.type === 'fatal' ? m.message : `ingest thread sent ${m.type} before ready`));
    });
  }).catch(async (err: unknown) => {
    await worker.terminate();
    throw err;
  });

  const failAll = (err: Error) => {
    failure = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('message', (m: FromThread) => {
    if (!('id' in m)) return;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.type === 'error') p.reject(new Error(m.message));
    else p.resolve(m);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`ingest thread exited with code ${code}`)));

  const call = (req: Request, transfer?: ArrayBuffer[]): Promise<FromThread> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...req, id }, transfer ?? []);
    });
  };

  return {
    embedder: {
      modelId: ready.modelId,
      dimension: ready.dimension,
      async embed(texts) {
        if (texts.length === 0) return [];
        const m = await call({ type: 'embed', texts });
        if (m.type !== 'embedded') throw new Error(`unexpected ${m.type} from ingest thread`);
        const out: Float32Array[] = [];
        for (let i = 0; i < m.flat.length; i += ready.dimension) out.push(m.flat.subarray(i, i + ready.dimension));
        return out;
      },
    },
    failure: () => failure,
    async metrics() {
      const m = await call({ type: 'metrics' });
      return m.type === 'metrics' ? (m.metrics as MetricObjectWithValues<MetricValue<string>>[]) : [];
    },
    async close() {
      if (!failure) await call({ type: 'close' });
      await worker.terminate();
    },
  };
}
