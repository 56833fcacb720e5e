import type Router from '@koa/router';
import { batchSchema } from '../../../model/sample.js';
import { requireScope } from '../auth.js';
import { assertValid, readJsonBody } from '../body.js';
import type { ApiDeps } from '../app.js';
import { submitBatch } from '../submit-batch.js';

type Deps = ApiDeps & NonNullable<ApiDeps['search']>;

export function sampleRoutes(router: Router, deps: Deps): void {
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
