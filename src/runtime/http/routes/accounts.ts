import type Router from '@koa/router';
import { z } from 'zod';
import type { StoredEvent } from '../../../adapters/redis/outbox.js';
import { accountDetail, accountPage, type AccountReads, type CampaignReads } from '../../../app/queries.js';
import type { VerdictStore } from '../../../app/verdicts.js';
import type { ActionRule } from '../../../model/scoring/actions.js';
import type { Calibration } from '../../../model/scoring/calibration.js';
import { TIERS, type Tier } from '../../../model/scoring/score.js';
import { requireScope } from '../auth.js';
import { assertValid } from '../body.js';
import { decodeCursor, nextCursor, pageFields } from '../cursor.js';
import { presentAccount } from '../presenter.js';
import { presentCluster } from './clusters.js';
import type { PromptClusters } from '../../../model/search/prompt-clusters.js';

/** What the account routes read: accounts and campaigns, the calibration's tiers, the action rules, events. */
export interface AccountRouteDeps {
  accounts: AccountReads;
  campaigns: CampaignReads;
  verdicts: Pick<VerdictStore, 'covering'>;
  /** The prompt clusters, for each account's coverage. */
  clusters: Pick<PromptClusters, 'coverage'>;
  calibration: Calibration;
  actionRules: readonly ActionRule[];
  events(after: string, limit: number): Promise<StoredEvent[]>;
}

const listQuery = z
  .object({
    tier: z.enum(TIERS as [Tier, ...Tier[]], { errorMap: () => ({ message: `tier must be one of ${TIERS.join(', ')}` }) }).optional(),
    minScore: z.coerce.number({ invalid_type_error: 'minScore must be a number' }).min(0, 'minScore must be between 0 and 1').max(1, 'minScore must be between 0 and 1').default(0),
    ...pageFields(500, 50),
  })
  .strict();

/** Clusters an account's detail lists: where most of its prompts fall. */
const ACCOUNT_CLUSTERS = 10;

export function accountRoutes(router: Router, deps: AccountRouteDeps): void {
  router.get('/v1/accounts/:accountId', requireScope('detector', 'analyst'), async (ctx) => {
    const id = ctx.params.accountId!;
    ctx.body = { ...presentAccount(await accountDetail(deps, id, deps.calibration, deps.actionRules)), clusters: deps.clusters.coverage(id, ACCOUNT_CLUSTERS).map(presentCluster) };
  });

  router.get('/v1/accounts', requireScope('detector', 'analyst'), async (ctx) => {
    const q = listQuery.safeParse(ctx.query);
    assertValid(q);
    const { tier, minScore, limit, cursor } = q.data!;
    const offset = decodeCursor(cursor);
    const page = await accountPage(deps, { ...(tier ? { tier } : {}), minScore, offset, limit }, deps.calibration, deps.actionRules);
    ctx.body = { accounts: page.items.map(presentAccount), nextCursor: nextCursor(offset, limit, page.fetched) };
  });

  router.get('/v1/events', requireScope('detector', 'analyst'), async (ctx) => {
    const q = z
      .object({
        after: z.string().regex(/^(0|\d+-\d+)$/, 'after must be an event id such as 1777000000000-0').default('0'),
        limit: z.coerce.number().int().min(1, 'limit must be 1 to 1000').max(1000, 'limit must be 1 to 1000').default(100),
      })
      .strict()
      .safeParse(ctx.query);
    assertValid(q);
    ctx.body = { events: await deps.events(q.data!.after, q.data!.limit) };
  });
}
