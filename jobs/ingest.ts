import type { Job } from 'bullmq';
import { z } from 'zod';
import type { Embedder } from '../src/domain/embedder.js';
import type { Classifier } from '../src/scoring/classifier.js';
import { ingestBatch, type IngestResult, type PromptStore } from '../src/domain/ingest.js';
import { defineQueue, parsePayload } from './define.js';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const ingestQueue = defineQueue({
  name: 'ingest',
  payload: z.object({
    batchId: z.string().regex(/^b[0-9a-f]{32}$/),
    samples: z
      .array(
        z.object({
          accountId: z.string().min(1),
          promptId: z.string().min(1),
          ts: z.number().int(),
          text: z.string().min(1),
          metadata: z.record(scalar).optional(),
        }),
      )
      .min(1),
  }),
  jobId: (p) => p.batchId,
  options: {
    attempts: 10,
    backoff: { type: 'exponential', delay: 500 },
    removeOnComplete: { age: 3600, count: 10_000 },
    // Failed batches stay until an operator retries or drops them: accepted data is never discarded.
    removeOnFail: false,
  },
});

export type IngestPayload = z.infer<typeof ingestQueue.payload>;

export function ingestProcessor(deps: { embedder: Embedder; classifier: () => Promise<Classifier>; store: PromptStore }) {
  return async (job: Job): Promise<IngestResult> => {
    const { batchId, samples } = parsePayload(ingestQueue, job);
    const classifier = await deps.classifier();
    return ingestBatch(batchId, samples, { ...deps, classifier }, (done, total) => job.updateProgress({ done, total }));
  };
}
