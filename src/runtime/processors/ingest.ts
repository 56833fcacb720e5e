import type { Job } from 'bullmq';
import type { Embedder } from '../../model/ports/embedder.js';
import type { Classifier } from '../../model/scoring/classifier.js';
import { ingestBatch, type IngestResult, type PromptStore } from '../../app/ingest.js';
import { parsePayload } from '../../../jobs/define.js';
import { ingestQueue } from '../../../jobs/ingest.js';

export function ingestProcessor(deps: { embedder: Embedder; classifier: () => Promise<Classifier>; store: PromptStore }) {
  return async (job: Job): Promise<IngestResult> => {
    const { batchId, samples } = parsePayload(ingestQueue, job);
    const classifier = await deps.classifier();
    return ingestBatch(batchId, samples, { ...deps, classifier }, (done, total) => job.updateProgress({ done, total }));
  };
}
