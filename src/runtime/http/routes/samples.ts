import type Router from '@koa/router';
import { batchSchema } from '../../../model/sample.js';
import { requireScope } from '../auth.js';
import { assertValid, readJsonBody } from '../body.js';
import type { Logger } from 'pino';
import type { Queues } from '../../../../jobs/registry.js';
import type { RedisPromptStore } from '../../../adapters/redis/redis-prompt-store.js';
import type { Config } from '../../config.js';
import type { Metrics } from '../../metrics.js';
import { submitBatch } from '../submit-batch.js';

/** What ingest needs: the input limits, the prompt claims and the ingest queue. */
export interface SampleRouteDeps {
  config: Pick<Config, 'MAX_TEXT_CHARS' | 'MAX_BATCH_SAMPLES' | 'MAX_BODY_BYTES'>;
  logger: Logger;
  metrics: Pick<Metrics, 'ingestSamples'>;
  store: RedisPromptStore;
  queues: Queues;
}

export function sampleRoutes(router: Router, deps: SampleRouteDeps): void {
  const schema = batchSchema({ maxTextChars: deps.config.MAX_TEXT_CHARS, maxBatchSamples: deps.config.MAX_BATCH_SAMPLES });

  router.post('/v1/samples', requireScope('ingest'), async (ctx) => {
    const body = await readJsonBody(ctx, deps.config.MAX_BODY_BYTES);
    const parsed = schema.safeParse(body);
    assertValid(parsed);
    const result = await submitBatch(parsed.data!.samples, deps);
    deps.metrics.ingestSamples.inc({ outcome: 'accepted' }, result.accepted);
    deps.metrics.ingestSamples.inc({ outcome: 'duplicate' }, result.duplicates);
    deps.logger.debug({ batchId: result.batchId, accepted: result.accepted, duplicates: result.duplicates }, 'batch accepted');
    ctx.status = 202;
    ctx.body = result;
  });
}
