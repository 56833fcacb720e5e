import type Router from '@koa/router';
import { z } from 'zod';
import { campaignBundle } from '../../../model/campaigns/stix.js';
import { NotFoundError } from '../../../app/errors.js';
import { requireScope } from '../auth.js';
import { assertValid } from '../body.js';
import { decodeCursor, nextCursor } from '../cursor.js';
import type { ApiDeps } from '../app.js';

type Deps = ApiDeps & NonNullable<ApiDeps['search']>;

const listQuery = z
  .object({
    minScore: z.coerce.number({ invalid_type_error: 'minScore must be a number' }).min(0, 'minScore must be between 0 and 1').max(1, 'minScore must be between 0 and 1').default(0),
    limit: z.coerce.number({ invalid_type_error: 'limit must be a number' }).int().min(1, 'limit must be 1 to 200').max(200, 'limit must be 1 to 200').default(50),
    cursor: z.string().max(64, 'cursor is not one this API returned').optional(),
  })
  .strict();

export function campaignRoutes(router: Router, deps: Deps): void {
  router.get('/v1/campaigns', requireScope('detector', 'analyst'), async (ctx) => {
    const q = listQuery.safeParse(ctx.query);
    assertValid(q);
    const { minScore, limit, cursor } = q.data!;
    const offset = decodeCursor(cursor);
    const campaigns = await deps.campaigns.list({ minScore, offset, limit });
    ctx.body = {
      campaigns: campaigns.map(({ clusterId, size, score, tier, topAreas, firstSeen, lastSeen }) => ({ clusterId, size, score, tier, topAreas, firstSeen, lastSeen })),
      nextCursor: nextCursor(offset, limit, campaigns.length),
    };
  });

  router.get('/v1/campaigns/:clusterId', requireScope('detector', 'analyst'), async (ctx) => {
    const campaign = await deps.campaigns.get(ctx.params.clusterId!);
    if (!campaign) throw new NotFoundError(`campaign ${ctx.params.clusterId}`);
    const members = await Promise.all(
      campaign.members.map(async (accountId) => {
        const a = await deps.accounts.getAccount(accountId);
        return { accountId, score: a?.score ?? null, ownTier: a?.tier ?? 'none', prompts: a?.prompts ?? 0 };
      }),
    );
    ctx.body = { ...campaign, members };
  });

  /** The campaign as STIX 2.1 indicators another provider can load (README "Sharing indicators"). */
  router.get('/v1/campaigns/:clusterId/indicators', requireScope('detector', 'analyst'), async (ctx) => {
    const campaign = await deps.campaigns.get(ctx.params.clusterId!);
    if (!campaign) throw new NotFoundError(`campaign ${ctx.params.clusterId}`);
    // Serialised here: koa would label an object body plain JSON.
    ctx.body = JSON.stringify(campaignBundle(campaign, { provider: deps.config.STIX_PROVIDER, salt: deps.config.INDICATOR_SALT ?? null, now: new Date() }));
    ctx.type = 'application/stix+json;version=2.1';
  });
}
