import type Router from '@koa/router';
import { queueDefinitions } from '../../../../jobs/registry.js';
import { NotFoundError } from '../../../app/errors.js';
import { taxonomySchema } from '../../../model/scoring/taxonomy.js';
import { activeTaxonomy, storeTaxonomy } from '../../../adapters/redis/taxonomy-source.js';
import { requireScope } from '../auth.js';
import { assertValid, readJsonBody } from '../body.js';
import type { ApiDeps } from '../app.js';

type Deps = ApiDeps & NonNullable<ApiDeps['search']>;

export function adminRoutes(router: Router, deps: Deps): void {
  router.get('/v1/admin/taxonomy', requireScope('admin'), async (ctx) => {
    ctx.body = await activeTaxonomy(deps.redis, deps.keys, deps.config.TAXONOMY_FILE);
  });

  // Replaces the taxonomy for every worker and re-classifies all stored prompts in the background.
  router.put('/v1/admin/taxonomy', requireScope('admin'), async (ctx) => {
    const parsed = taxonomySchema.safeParse(await readJsonBody(ctx, deps.config.MAX_BODY_BYTES));
    assertValid(parsed);
    const revision = await storeTaxonomy(deps.redis, deps.keys, parsed.data!);
    const jobId = await deps.queues.enqueue('reclassify', { revision });
    ctx.status = 202;
    ctx.body = { revision, reclassifyJob: jobId, status: `/v1/admin/reclassify/${jobId}` };
  });

  // Erasure on request: the account's prompts leave the store and every index, its state goes.
  router.delete('/v1/admin/accounts/:accountId', requireScope('admin'), async (ctx) => {
    const accountId = ctx.params.accountId!;
    if (!(await deps.accounts.getAccount(accountId))) throw new NotFoundError(`account ${accountId}`);
    const deletedPrompts = await deps.accounts.deleteAccount(accountId);
    deps.logger.info({ accountId, deletedPrompts }, 'account deleted on request');
    ctx.body = { accountId, deletedPrompts };
  });

  router.get('/v1/admin/reclassify/:jobId', requireScope('admin'), async (ctx) => {
    const job = await deps.queues.get('reclassify').getJob(ctx.params.jobId!);
    if (!job || job.name !== queueDefinitions.reclassify.name) throw new NotFoundError(`re-classification ${ctx.params.jobId}`);
    ctx.body = { id: job.id, state: await job.getState(), progress: job.progress, result: job.returnvalue ?? null, failedReason: job.failedReason ?? null };
  });
}
