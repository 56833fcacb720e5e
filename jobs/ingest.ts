import { z } from 'zod';
import { defineQueue } from './define.js';

// One predicate rather than a z.union, which builds an issue per non-matching branch on every value.
const scalar = z.custom<string | number | boolean | null>((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v), { message: 'metadata values must be scalars' });

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
