import type Router from '@koa/router';
import type { Logger } from 'pino';
import { queueDefinitions, type Queues } from '../../../../jobs/registry.js';
import type { RedisAccountStore } from '../../../adapters/redis/redis-account-store.js';
import { NotFoundError } from '../../../app/errors.js';
import { taxonomySchema, type Taxonomy } from '../../../model/scoring/taxonomy.js';
import type { Config } from '../../config.js';
import { requireScope } from '../auth.js';
import { assertValid, readJsonBody } from '../body.js';

/** What the admin routes change: the taxonomy (and its re-classification job) and account erasure. */
export interface AdminRouteDeps {
  config: Pick<Config, 'MAX_BODY_BYTES'>;
  logger: Logger;
  queues: Queues;
  taxonomy: { active(): Promise<unknown>; store(t: Taxonomy): Promise<string> };
  accounts: Pick<RedisAccountStore, 'accounts' | 'deleteAccount'>;
}

export function adminRoutes(router: Router, deps: AdminRouteDeps): void {
  router.get('/v1/admin/taxonomy', requireScope('admin'), async (ctx) => {
    ctx.body = await deps.taxonomy.active();
  });

  // Replaces the taxonomy for every worker and re-classifies all stored prompts in the background.
  router.put('/v1/admin/taxonomy', requireScope('admin'), async (ctx) => {
    const parsed = taxonomySchema.safeParse(await readJsonBody(ctx, deps.config.MAX_BODY_BYTES));
    assertValid(parsed);
    const revision = await deps.taxonomy.store(parsed.data!);
    const jobId = await deps.queues.enqueue('reclassify', { revision });
    ctx.status = 202;
    ctx.body = { revision, reclassifyJob: jobId, status: `/v1/admin/reclassify/${jobId}` };
  });

  // Erasure on request: the account's prompts leave the store and every index, its state goes.
  router.delete('/v1/admin/accounts/:accountId', requireScope('admin'), async (ctx) => {
    const accountId = ctx.params.accountId!;
    if (!(await deps.accounts.accounts([accountId])).has(accountId)) throw new NotFoundError(`account ${accountId}`);
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
