import type { Job } from 'bullmq';
import type { Embedder } from '../../model/ports/embedder.js';
import { reclassifyAll, type ReclassifyStore } from '../../app/reclassify.js';
import type { Classifier } from '../../model/scoring/classifier.js';
import { parsePayload } from '../../../jobs/define.js';
import { reclassifyQueue } from '../../../jobs/reclassify.js';

export function reclassifyProcessor(deps: { embedder: Embedder; classifier: () => Promise<Classifier>; store: ReclassifyStore }) {
  return async (job: Job) => {
    parsePayload(reclassifyQueue, job);
    const classifier = await deps.classifier();
    return reclassifyAll(deps.store, { embedder: deps.embedder, classifier }, (done, total) => job.updateProgress({ done, total }));
  };
}
