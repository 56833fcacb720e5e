import { useEffect, useState } from 'react';
import { getJson, path } from '../api.js';
import { CoverageHeatmap } from '../components/charts.js';
import { AccountLink, CampaignLink, ClusterLink, Load, Section, TierBadge, pct, when } from '../components/common.js';
import { styled, Table } from '../components/table.js';
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
              <Table
                rows={a.clusters ?? []}
                rowKey={(c) => c.id}
                cells={(c) => [<ClusterLink id={c.id} label={c.label} />, `${c.prompts} of its prompts`, `${c.accounts} accounts send it`]}
              />
            )}
          </Load>
        </Section>
        <Section title="Similar accounts (same clusters)">
          <Load state={similar}>
            {(s) => (
              <Table
                rows={s.accounts}
                rowKey={(o) => o.accountId}
                cells={(o) => [<AccountLink id={o.accountId} />, `overlap ${pct(o.overlap)}`, `${o.sharedClusters} shared clusters`]}
                empty="No other account sends prompts in its clusters."
              />
            )}
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
      <Table
        className="prompts"
        head={['Sent', 'Sub-area', 'Cluster', 'Prompt']}
        rows={pages.prompts}
        rowKey={(p) => p.promptId}
        cells={(p) => [styled('mono nowrap', when(p.ts)), p.subArea, p.clusterId ? <ClusterLink id={p.clusterId} /> : '—', styled('prompt-text', p.text)]}
      />
      {pages.next && (
        <button type="button" onClick={() => void load(pages.next!)}>
          More prompts
        </button>
      )}
    </>
  );
}
