import { AccountLink, CampaignLink, Load, Section, TierBadge, when } from '../components/common.js';
import { DailyBars } from '../components/charts.js';
import { path } from '../api.js';
import { useApi } from '../hooks.js';
import type { Account, CampaignSummary, FleetRates, RadarEvent } from '../types.js';

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
          {(d) =>
            d.campaigns.length ? (
              <table>
                <thead>
                  <tr>
                    <th>Campaign</th>
                    <th>Tier</th>
                    <th>Score</th>
                    <th>Accounts</th>
                    <th>Top areas</th>
                    <th>Last seen</th>
                  </tr>
                </thead>
                <tbody>
                  {d.campaigns.map((c) => (
                    <tr key={c.clusterId}>
                      <td>
                        <CampaignLink id={c.clusterId} />
                      </td>
                      <td>
                        <TierBadge tier={c.tier} />
                      </td>
                      <td>{c.score.toFixed(3)}</td>
                      <td>{c.size}</td>
                      <td>{c.topAreas.slice(0, 3).map((a) => a.subArea).join(', ')}</td>
                      <td>{when(c.lastSeen)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted">No campaigns.</p>
            )
          }
        </Load>
      </Section>
      <Section title="Accounts by score">
        <Load state={accounts}>
          {(d) =>
            d.accounts.length ? (
              <table>
                <thead>
                  <tr>
                    <th>Account</th>
                    <th>Tier</th>
                    <th>Score</th>
                    <th>Prompts</th>
                    <th>Campaign</th>
                    <th>Verdict</th>
                  </tr>
                </thead>
                <tbody>
                  {d.accounts.map((a) => (
                    <tr key={a.accountId}>
                      <td>
                        <AccountLink id={a.accountId} />
                      </td>
                      <td>
                        <TierBadge tier={a.tier} />
                      </td>
                      <td>{a.score?.toFixed(3) ?? '—'}</td>
                      <td>{a.counts.prompts}</td>
                      <td>{a.campaign ? <CampaignLink id={a.campaign.clusterId} /> : '—'}</td>
                      <td>{a.verdict?.verdict ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted">No account scores 0.5 or more.</p>
            )
          }
        </Load>
      </Section>
      <Section title="Recent events">
        <Load state={events}>
          {(d) =>
            d.events.length ? (
              <ul className="events">
                {d.events
                  .slice(-30)
                  .reverse()
                  .map((e) => (
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
              <table>
                <thead>
                  <tr>
                    <th>Campaign</th>
                    <th>Accounts</th>
                    <th>Prompts/h, last day</th>
                    <th>Peak prompts/h</th>
                  </tr>
                </thead>
                <tbody>
                  {d.campaigns.map((c) => (
                    <tr key={c.clusterId}>
                      <td>
                        <CampaignLink id={c.clusterId} />
                      </td>
                      <td>{c.size}</td>
                      <td>{c.rates?.lastDay.promptsPerHour ?? '—'}</td>
                      <td>{c.rates?.peak.promptsPerHour ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </Load>
      </Section>
    </div>
  );
}
