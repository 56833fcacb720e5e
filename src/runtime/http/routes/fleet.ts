import type Router from '@koa/router';
import { z } from 'zod';
import { HOUR_MS } from '../../../model/time.js';
import { requireScope } from '../auth.js';
import { assertValid } from '../body.js';
import type { RedisFleetStore } from '../../../adapters/redis/redis-fleet-store.js';
import { hourSpan } from '../../../app/fleet-monitor.js';
import { campaignPage, type CampaignReads } from '../../../app/queries.js';

/** What the fleet route reads: the young population's rates and alerts, and the campaigns. */
export interface FleetRouteDeps {
  fleet: Pick<RedisFleetStore, 'youngSeries' | 'recentAlerts'>;
  campaigns: CampaignReads;
  fleetMonitor: { youngDays: number };
}

const query = z
  .object({
    hours: z.coerce.number({ invalid_type_error: 'hours must be a number' }).int().min(1, 'hours must be 1 to 720').max(720, 'hours must be 1 to 720').default(48),
    campaigns: z.coerce.number({ invalid_type_error: 'campaigns must be a number' }).int().min(0, 'campaigns must be 0 to 200').max(200, 'campaigns must be 0 to 200').default(20),
  })
  .strict();

export function fleetRoutes(router: Router, deps: FleetRouteDeps): void {
  /**
   * Fleet-level rates: the young population's prompts and output tokens per hour up to the latest
   * hour with traffic (event time), the top campaigns' rates and release pivots, and recent alerts.
   */
  router.get('/v1/fleet/rates', requireScope('detector', 'analyst'), async (ctx) => {
    const q = query.safeParse(ctx.query);
    assertValid(q);
    const { hours, campaigns: top } = q.data!;
    const series = await deps.fleet.youngSeries();
    const last = hourSpan(series)?.last ?? 0;
    const campaigns = top ? (await campaignPage(deps.campaigns, { minScore: 0, offset: 0, limit: top })).items : [];
    ctx.body = {
      population: {
        youngDays: deps.fleetMonitor.youngDays,
        hours: [...series.values()]
          .filter((r) => r.hour > last - hours)
          .sort((a, b) => a.hour - b.hour)
          .map((r) => ({ hour: new Date(r.hour * HOUR_MS).toISOString(), prompts: r.prompts, outputTokens: r.outputTokens })),
      },
      campaigns: campaigns.map(({ clusterId, size, tier, rates, releasePivots }) => ({ clusterId, size, tier, rates, releasePivots })),
      alerts: await deps.fleet.recentAlerts(20),
    };
  });
}
