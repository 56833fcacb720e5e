import type Router from '@koa/router';
import { z } from 'zod';
import { NotFoundError } from '../../../app/errors.js';
import { actionsFor, type ActionRule } from '../../../model/scoring/actions.js';
import type { Calibration } from '../../../model/scoring/calibration.js';
import { isFlagged, TIERS, type Tier } from '../../../model/scoring/score.js';
import type { AccountView } from '../../../adapters/redis/redis-account-store.js';
import { requireScope } from '../auth.js';
import { assertValid } from '../body.js';
import { decodeCursor, nextCursor } from '../cursor.js';
import type { ApiDeps } from '../app.js';

type Deps = ApiDeps & NonNullable<ApiDeps['search']>;

const listQuery = z
  .object({
    tier: z.enum(TIERS as [Tier, ...Tier[]], { errorMap: () => ({ message: `tier must be one of ${TIERS.join(', ')}` }) }).optional(),
    minScore: z.coerce.number({ invalid_type_error: 'minScore must be a number' }).min(0, 'minScore must be between 0 and 1').max(1, 'minScore must be between 0 and 1').default(0),
    limit: z.coerce.number({ invalid_type_error: 'limit must be a number' }).int().min(1, 'limit must be 1 to 500').max(500, 'limit must be 1 to 500').default(50),
    cursor: z.string().max(64, 'cursor is not one this API returned').optional(),
  })
  .strict();

/** A tier is a score band, so a tier filter is a range query on the score index. */
function tierBand(tier: Tier | undefined, c: Calibration): [number, number] {
  const t = c.thresholds;
  switch (tier) {
    case undefined:
      return [0, Infinity];
    case 'none':
      return [0, t.watch];
    case 'watch':
      return [t.watch, t.review];
    case 'review':
      return [t.review, t.block];
    case 'block':
      return [t.block, Infinity];
  }
}

/** An account in a campaign is shown at the campaign's tier where that is higher, with the actions that fire. */
export function present(a: AccountView, rules: readonly ActionRule[], campaign?: { clusterId: string; tier: Tier; links?: unknown[] }) {
  const tier = campaign && TIERS.indexOf(campaign.tier) > TIERS.indexOf(a.tier) ? campaign.tier : a.tier;
  return {
    accountId: a.accountId,
    score: a.score === null ? null : Math.round(a.score * 1e4) / 1e4,
    tier,
    flagged: isFlagged(tier),
    actions: actionsFor(rules, { tier, prompts: a.prompts, campaign: campaign ?? null }),
    clusterId: campaign?.clusterId ?? null,
    campaign: campaign
      ? { clusterId: campaign.clusterId, tier: campaign.tier, url: `/v1/campaigns/${campaign.clusterId}`, ...(campaign.links ? { links: campaign.links } : {}) }
      : null,
    counts: { prompts: a.prompts, pendingScore: a.pending },
    firstSeen: new Date(a.firstSeen).toISOString(),
    lastSeen: new Date(a.lastSeen).toISOString(),
    scoredAt: a.scoredAt === null ? null : new Date(a.scoredAt).toISOString(),
    evidence: a.evidence,
  };
}

export function accountRoutes(router: Router, deps: Deps): void {
  router.get('/v1/accounts/:accountId', requireScope('detector'), async (ctx) => {
    const account = await deps.accounts.getAccount(ctx.params.accountId!);
    if (!account) throw new NotFoundError(`account ${ctx.params.accountId}`);
    const campaign = await deps.campaigns.campaignOf(account.accountId);
    // What links this account to the others: the campaign's strongest shared templates and values.
    const links = campaign && (await deps.campaigns.get(campaign.clusterId))?.links.slice(0, 3);
    ctx.body = present(account, deps.actionRules, campaign && { ...campaign, ...(links ? { links } : {}) });
  });

  router.get('/v1/accounts', requireScope('detector'), async (ctx) => {
    const q = listQuery.safeParse(ctx.query);
    assertValid(q);
    const { tier, minScore, limit, cursor } = q.data!;
    const offset = decodeCursor(cursor);
    const [lo, hi] = tierBand(tier, deps.calibration);
    const ids = await deps.accounts.listByScore({ minScore: Math.max(lo, minScore), maxScore: hi, offset, limit });
    const accounts = (await Promise.all(ids.map((id) => deps.accounts.getAccount(id)))).filter((a): a is AccountView => !!a);
    ctx.body = {
      accounts: await Promise.all(accounts.map(async (a) => present(a, deps.actionRules, await deps.campaigns.campaignOf(a.accountId)))),
      nextCursor: nextCursor(offset, limit, ids.length),
    };
  });

  router.get('/v1/events', requireScope('detector'), async (ctx) => {
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
