import { AccountLink, CampaignLink, Load, Section, TierBadge, when } from '../components/common.js';
import { DailyBars } from '../components/charts.js';
import { Table } from '../components/table.js';
import { path } from '../api.js';
import { useApi } from '../hooks.js';
import type { Account, CampaignSummary, FleetRates, RadarEvent } from '../types.js';

/** Events shown: the newest 15 about campaigns and the fleet and the newest 15 about accounts, newest first, so a burst of account raises never hides a campaign's. */
function recent(events: readonly RadarEvent[]): RadarEvent[] {
  const isAccount = (e: RadarEvent) => e.type.startsWith('account.');
  const order = (e: RadarEvent) => e.id.split('-').map(Number) as [number, number];
  return [...events.filter((e) => !isAccount(e)).slice(-15), ...events.filter(isAccount).slice(-15)].sort((a, b) => {
    const [[am, as], [bm, bs]] = [order(a), order(b)];
    return bm - am || bs - as;
  });
}

/** What needs attention: flagged accounts and campaigns by score, what just happened, fleet rates. */
export function Overview() {
  const accounts = useApi<{ accounts: Account[] }>(path('/v1/accounts', { minScore: 0.5, limit: 25 }));
  const campaigns = useApi<{ campaigns: CampaignSummary[] }>(path('/v1/campaigns', { limit: 25 }));
  // Event ids start with their time: the last day's events, newest first.
  const events = useApi<{ events: RadarEvent[] }>(path('/v1/events', { after: `${Date.now() - 86_400_000}-0`, limit: 1000 }));
  const rates = useApi<FleetRates & { campaigns: { clusterId: string; size: number; rates: { lastDay: { promptsPerHour: number }; peak: { promptsPerHour: number } } | null }[] }>('/v1/fleet/rates');
  return (
    <div className="grid">
      <Section title="Campaigns">
        <Load state={campaigns}>
          {(d) => (
            <Table
              head={['Campaign', 'Tier', 'Score', 'Accounts', 'Top areas', 'Last seen']}
              rows={d.campaigns}
              rowKey={(c) => c.clusterId}
              cells={(c) => [<CampaignLink id={c.clusterId} />, <TierBadge tier={c.tier} />, c.score.toFixed(3), c.size, c.topAreas.slice(0, 3).map((a) => a.subArea).join(', '), when(c.lastSeen)]}
              empty="No campaigns."
            />
          )}
        </Load>
      </Section>
      <Section title="Accounts by score">
        <Load state={accounts}>
          {(d) => (
            <Table
              head={['Account', 'Tier', 'Score', 'Prompts', 'Campaign', 'Verdict']}
              rows={d.accounts}
              rowKey={(a) => a.accountId}
              cells={(a) => [<AccountLink id={a.accountId} />, <TierBadge tier={a.tier} />, a.score?.toFixed(3) ?? '—', a.counts.prompts, a.campaign ? <CampaignLink id={a.campaign.clusterId} /> : '—', a.verdict?.verdict ?? '—']}
              empty="No account scores 0.5 or more."
            />
          )}
        </Load>
      </Section>
      <Section title="Recent events">
        <Load state={events}>
          {(d) =>
            d.events.length ? (
              <ul className="events">
                {recent(d.events).map((e) => (
                    <li key={e.id}>
                      <span className="mono muted">{when(e.data.at ?? null)}</span> <b>{e.type}</b>{' '}
                      {e.data.accountId && <AccountLink id={e.data.accountId} />}
                      {e.data.clusterId && <CampaignLink id={e.data.clusterId} />} {e.data.to && <TierBadge tier={e.data.to as Account['tier']} />}
                    </li>
                  ))}
              </ul>
            ) : (
              <p className="muted">No events in the last day.</p>
            )
          }
        </Load>
      </Section>
      <Section title="Fleet rates">
        <Load state={rates}>
          {(d) => (
            <>
              <p className="muted">
                Prompts per hour from accounts younger than {d.population.youngDays} days; {d.alerts?.length ?? 0} rate alert(s) open.
              </p>
              <DailyBars days={d.population.hours.map((h) => ({ day: h.hour.slice(0, 13).replace('T', ' ') + 'h', prompts: h.prompts }))} label="young accounts' prompts per hour" />
              <Table
                head={['Campaign', 'Accounts', 'Prompts/h, last day', 'Peak prompts/h']}
                rows={d.campaigns}
                rowKey={(c) => c.clusterId}
                cells={(c) => [<CampaignLink id={c.clusterId} />, c.size, c.rates?.lastDay.promptsPerHour ?? '—', c.rates?.peak.promptsPerHour ?? '—']}
              />
            </>
          )}
        </Load>
      </Section>
    </div>
  );
}
