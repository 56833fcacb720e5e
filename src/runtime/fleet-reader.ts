import { hourSpan } from '../app/fleet-monitor.js';
import { campaignPage } from '../app/queries.js';
import type { FleetReading } from './metrics.js';
import type { RedisCampaignStore } from '../adapters/redis/redis-campaign-store.js';
import type { RedisFleetStore } from '../adapters/redis/redis-fleet-store.js';

const GAUGE_CAMPAIGNS = 50;

/** The fleet gauges' reading: the last complete young-population hour, the top campaigns' rates. */
export function fleetReader(fleet: RedisFleetStore, campaigns: RedisCampaignStore): () => Promise<FleetReading> {
  return async () => {
    const series = await fleet.youngSeries();
    const span = hourSpan(series);
    const latest = span && span.last > span.first ? series.get(span.last - 1) : undefined;
    const top = (await campaignPage(campaigns, { minScore: 0, offset: 0, limit: GAUGE_CAMPAIGNS })).items;
    return {
      young: latest ? { prompts: latest.prompts, outputTokens: latest.outputTokens } : null,
      campaigns: top.map((c) => ({ clusterId: c.clusterId, ...c.rates.lastDay })),
      alerts: (await fleet.recentAlerts(100)).length,
    };
  };
}
