import type Router from '@koa/router';
import { z } from 'zod';
import { campaignDetail, campaignOrThrow, campaignPage, type AccountReads, type CampaignReads } from '../../../app/queries.js';
import { campaignBundle } from '../../../model/campaigns/stix.js';
import { requireScope } from '../auth.js';
import { assertValid } from '../body.js';
import { decodeCursor, nextCursor, pageFields } from '../cursor.js';
import { presentCampaign, presentCampaignSummary } from '../presenter.js';

/** What the campaign routes read, and how indicators are signed. */
export interface CampaignRouteDeps {
  accounts: AccountReads;
  campaigns: CampaignReads;
  stix: { provider: string; salt: string | null };
}

const listQuery = z
  .object({
    minScore: z.coerce.number({ invalid_type_error: 'minScore must be a number' }).min(0, 'minScore must be between 0 and 1').max(1, 'minScore must be between 0 and 1').default(0),
    ...pageFields(200, 50),
  })
  .strict();

export function campaignRoutes(router: Router, deps: CampaignRouteDeps): void {
  router.get('/v1/campaigns', requireScope('detector', 'analyst'), async (ctx) => {
    const q = listQuery.safeParse(ctx.query);
    assertValid(q);
    const { minScore, limit, cursor } = q.data!;
    const offset = decodeCursor(cursor);
    const page = await campaignPage(deps.campaigns, { minScore, offset, limit });
    ctx.body = { campaigns: page.items.map(presentCampaignSummary), nextCursor: nextCursor(offset, limit, page.fetched) };
  });

  router.get('/v1/campaigns/:clusterId', requireScope('detector', 'analyst'), async (ctx) => {
    const { campaign, members } = await campaignDetail(deps, ctx.params.clusterId!);
    ctx.body = presentCampaign(campaign, members);
  });

  /** The campaign as STIX 2.1 indicators another provider can load (README "Sharing indicators"). */
  router.get('/v1/campaigns/:clusterId/indicators', requireScope('detector', 'analyst'), async (ctx) => {
    const campaign = await campaignOrThrow(deps.campaigns, ctx.params.clusterId!);
    // Serialised here: koa would label an object body plain JSON.
    ctx.body = JSON.stringify(campaignBundle({ ...presentCampaignSummary(campaign), links: campaign.links }, { ...deps.stix, now: new Date() }));
    ctx.type = 'application/stix+json;version=2.1';
  });
}
