import type { Job } from 'bullmq';
import { z } from 'zod';
import type { Embedder } from '../src/domain/embedder.js';
import { reclassifyAll, type ReclassifyStore } from '../src/domain/reclassify.js';
import type { Classifier } from '../src/scoring/classifier.js';
import { defineQueue, parsePayload } from './define.js';

export const reclassifyQueue = defineQueue({
  name: 'reclassify',
  payload: z.object({ revision: z.string().min(1).max(200) }),
  jobId: (p) => `reclassify-${p.revision.replace(/[^A-Za-z0-9_.-]/g, '_')}`,
  options: { attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: false },
});

export function reclassifyProcessor(deps: { embedder: Embedder; classifier: () => Promise<Classifier>; store: ReclassifyStore }) {
  return async (job: Job) => {
    parsePayload(reclassifyQueue, job);
    const classifier = await deps.classifier();
    return reclassifyAll(deps.store, { embedder: deps.embedder, classifier }, (done, total) => job.updateProgress({ done, total }));
  };
}
