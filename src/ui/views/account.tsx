import { useEffect, useState } from 'react';
import { getJson, path } from '../api.js';
import { CoverageHeatmap } from '../components/charts.js';
import { AccountLink, CampaignLink, ClusterLink, Load, Section, TierBadge, pct, when } from '../components/common.js';
import { VerdictForm } from '../components/verdict-form.js';
import { useApi } from '../hooks.js';
import type { Account, AccountPrompt, Heatmap } from '../types.js';

/** One account: its score and why, what it covers day by day, its prompts and their clusters, who resembles it. */
export function AccountView({ id }: { id: string }) {
  const base = `/v1/accounts/${encodeURIComponent(id)}`;
  const account = useApi<Account>(base);
  const heatmap = useApi<Heatmap>(`${base}/heatmap`);
  const similar = useApi<{ accounts: { accountId: string; overlap: number; sharedClusters: number }[] }>(path(`${base}/similar`, { limit: 10 }));
  return (
    <>
      <h1>
        Account <span className="mono">{id}</span>
      </h1>
      <Load state={account}>{(a) => <AccountSummary a={a} onVerdict={account.reload} />}</Load>
      <Section title="Coverage: capability sub-areas by day">
        <Load state={heatmap}>{(h) => <CoverageHeatmap map={h} />}</Load>
      </Section>
      <Section title="Prompts over time">
        <AccountPrompts base={base} />
      </Section>
      <div className="grid">
        <Section title="Prompt clusters it sends">
          <Load state={account}>
            {(a) => (
              <table>
                <tbody>
                  {(a.clusters ?? []).map((c) => (
                    <tr key={c.id}>
                      <td>
                        <ClusterLink id={c.id} label={c.label} />
                      </td>
                      <td>{c.prompts} of its prompts</td>
                      <td>{c.accounts} accounts send it</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Load>
        </Section>
        <Section title="Similar accounts (same clusters)">
          <Load state={similar}>
            {(s) =>
              s.accounts.length ? (
                <table>
                  <tbody>
                    {s.accounts.map((o) => (
                      <tr key={o.accountId}>
                        <td>
                          <AccountLink id={o.accountId} />
                        </td>
                        <td>overlap {pct(o.overlap)}</td>
                        <td>{o.sharedClusters} shared clusters</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <p className="muted">No other account sends prompts in its clusters.</p>
              )
            }
          </Load>
        </Section>
      </div>
    </>
  );
}

function AccountSummary({ a, onVerdict }: { a: Account; onVerdict(): void }) {
  return (
    <div className="grid">
      <Section title="Score and evidence">
        <p>
          <TierBadge tier={a.tier} /> score <b>{a.score?.toFixed(4) ?? 'not scored yet'}</b> · {a.counts.prompts} prompts · first seen {when(a.firstSeen)} · last seen {when(a.lastSeen)}
          {a.counts.pendingScore > 0 && <span className="muted"> · {a.counts.pendingScore} not yet scored</span>}
        </p>
        {a.campaign && (
          <p>
            Member of campaign <CampaignLink id={a.campaign.clusterId} /> <TierBadge tier={a.campaign.tier} />
          </p>
        )}
        <p className="evidence">{a.evidence?.summary ?? 'No evidence yet.'}</p>
        {a.evidence && <p className="muted">Top sub-areas: {a.evidence.topSubAreas.map((s) => `${s.subArea} ${pct(s.share)}`).join(', ')}</p>}
        {a.actions.length > 0 && (
          <ul>
            {a.actions.map((x) => (
              <li key={x.action}>
                <b>{x.action}</b>: {x.why}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title="Verdict">
        {a.verdict ? (
          <p className="verdict">
            <b>{a.verdict.verdict}</b> by {a.verdict.by} at {when(a.verdict.at)}
            {a.verdict.allowListed ? ' (allow-listed)' : ''}
            {a.verdict.note && <> — “{a.verdict.note}”</>}
          </p>
        ) : (
          <p className="muted">No verdict yet.</p>
        )}
        <VerdictForm subject="account" id={a.accountId} onRecorded={onVerdict} />
      </Section>
    </div>
  );
}

/** The account's prompts, newest first, a page at a time. */
function AccountPrompts({ base }: { base: string }) {
  const [pages, setPages] = useState<{ prompts: AccountPrompt[]; next: string | null; error?: string }>({ prompts: [], next: null });
  const load = async (cursor?: string) => {
    try {
      const page = await getJson<{ prompts: AccountPrompt[]; nextCursor: string | null }>(path(`${base}/prompts`, { limit: 50, cursor }));
      setPages((p) => ({ prompts: cursor ? [...p.prompts, ...page.prompts] : page.prompts, next: page.nextCursor }));
    } catch (err) {
      setPages((p) => ({ ...p, error: (err as Error).message }));
    }
  };
  useEffect(() => {
    void load();
  }, [base]);
  return (
    <>
      {pages.error && <p className="error">{pages.error}</p>}
      <table className="prompts">
        <thead>
          <tr>
            <th>Sent</th>
            <th>Sub-area</th>
            <th>Cluster</th>
            <th>Prompt</th>
          </tr>
        </thead>
        <tbody>
          {pages.prompts.map((p) => (
            <tr key={p.promptId}>
              <td className="mono nowrap">{when(p.ts)}</td>
              <td>{p.subArea}</td>
              <td>{p.clusterId ? <ClusterLink id={p.clusterId} /> : '—'}</td>
              <td className="prompt-text">{p.text}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pages.next && (
        <button type="button" onClick={() => void load(pages.next!)}>
          More prompts
        </button>
      )}
    </>
  );
}
