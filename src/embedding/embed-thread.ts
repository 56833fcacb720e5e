import { parentPort, workerData } from 'node:worker_threads';
import { createTransformersEmbedder } from './transformers-embedder.js';
import type { EmbedRequest, EmbedThreadOptions, ThreadMessage } from './threaded-embedder.js';

const port = parentPort!;
const post = (m: ThreadMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

try {
  const embedder = await createTransformersEmbedder(workerData as EmbedThreadOptions);
  post({ type: 'ready', modelId: embedder.modelId, dimension: embedder.dimension });
  port.on('message', async ({ id, texts }: EmbedRequest) => {
    try {
      const vectors = await embedder.embed(texts);
      const flat = new Float32Array(vectors.length * embedder.dimension);
      vectors.forEach((v, i) => flat.set(v, i * embedder.dimension));
      post({ type: 'result', id, flat }, [flat.buffer]);
    } catch (err) {
      post({ type: 'error', id, message: (err as Error).message });
    }
  });
} catch (err) {
  post({ type: 'fatal', message: (err as Error).message });
}
