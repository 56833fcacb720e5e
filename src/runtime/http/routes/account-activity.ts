import type Router from '@koa/router';
import { z } from 'zod';
import type { RedisAccountStore } from '../../../adapters/redis/redis-account-store.js';
import type { RedisPromptStore } from '../../../adapters/redis/redis-prompt-store.js';
import { NotFoundError } from '../../../app/errors.js';
import type { PromptClusters } from '../../../model/search/prompt-clusters.js';
import { requireScope } from '../auth.js';
import { assertValid } from '../body.js';
import { decodeCursor, nextCursor, pageFields } from '../cursor.js';

/** What the account views read: its prompts in time, their clusters. */
export interface AccountActivityDeps {
  accounts: Pick<RedisAccountStore, 'accounts' | 'recentPromptIds'>;
  store: Pick<RedisPromptStore, 'getPrompts'>;
  clusters: Pick<PromptClusters, 'clusterIdOf' | 'similarAccounts'>;
}

/** Prompts a heatmap reads at most: the account's most recent ones. */
const HEATMAP_PROMPTS = 5000;
const TEXT_PREVIEW = 300;

const page = z.object(pageFields(500, 100)).strict();
const similarQuery = z
  .object({ limit: z.coerce.number({ invalid_type_error: 'limit must be a number' }).int().min(1, 'limit must be 1 to 100').max(100, 'limit must be 1 to 100').default(20) })
  .strict();

export function accountActivityRoutes(router: Router, deps: AccountActivityDeps): void {
  async function exists(accountId: string): Promise<void> {
    if (!(await deps.accounts.accounts([accountId])).has(accountId)) throw new NotFoundError(`account ${accountId}`);
  }

  /** The account's prompts, newest first, with their capability area and cluster. */
  router.get('/v1/accounts/:accountId/prompts', requireScope('analyst'), async (ctx) => {
    const q = page.safeParse(ctx.query);
    assertValid(q);
    const id = ctx.params.accountId!;
    await exists(id);
    const offset = decodeCursor(q.data!.cursor);
    const ids = await deps.accounts.recentPromptIds(id, offset, q.data!.limit);
    const prompts = await deps.store.getPrompts(ids.map((promptId) => ({ promptId, accountId: id })));
    ctx.body = {
      prompts: prompts.flatMap((p) => {
        if (!p) return [];
        return [{ promptId: p.promptId, ts: new Date(p.ts).toISOString(), subArea: p.classification.subArea, clusterId: deps.clusters.clusterIdOf(p.label) ?? null, text: p.text.slice(0, TEXT_PREVIEW) }];
      }),
      nextCursor: nextCursor(offset, q.data!.limit, ids.length),
    };
  });

  /** Capability sub-areas by UTC day over the account's recent prompts: what it sweeps, and when. */
  router.get('/v1/accounts/:accountId/heatmap', requireScope('analyst'), async (ctx) => {
    const id = ctx.params.accountId!;
    await exists(id);
    const ids = await deps.accounts.recentPromptIds(id, 0, HEATMAP_PROMPTS);
    const prompts = (await deps.store.getPrompts(ids.map((promptId) => ({ promptId, accountId: id })))).filter((p) => !!p);
    const days = [...new Set(prompts.map((p) => new Date(p!.ts).toISOString().slice(0, 10)))].sort();
    const subAreas = [...new Set(prompts.map((p) => p!.classification.subArea))].sort();
    const counts = subAreas.map(() => days.map(() => 0));
    for (const p of prompts) counts[subAreas.indexOf(p!.classification.subArea)]![days.indexOf(new Date(p!.ts).toISOString().slice(0, 10))]!++;
    ctx.body = { subAreas, days, counts, prompts: prompts.length };
  });

  /** Accounts whose prompts fall in the same clusters (overlap 1: the same spread over them). */
  router.get('/v1/accounts/:accountId/similar', requireScope('analyst'), async (ctx) => {
    const q = similarQuery.safeParse(ctx.query);
    assertValid(q);
    const id = ctx.params.accountId!;
    await exists(id);
    ctx.body = { accounts: deps.clusters.similarAccounts(id, q.data!.limit) };
  });
}
