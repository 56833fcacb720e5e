import { useState } from 'react';
import { download } from '../api.js';
import { DailyBars } from '../components/charts.js';
import { AccountLink, Load, Section, TierBadge, pct, when } from '../components/common.js';
import { CampaignGraph, GraphLegend } from '../components/force-graph.js';
import { styled, Table } from '../components/table.js';
import { VerdictForm } from '../components/verdict-form.js';
import { href, useApi } from '../hooks.js';
import type { Campaign } from '../types.js';

/** A campaign: its members and what links them, when it ran, what it shares, its indicators. */
export function CampaignView({ id }: { id: string }) {
  const campaign = useApi<Campaign>(`/v1/campaigns/${encodeURIComponent(id)}`);
  const [downloadError, setDownloadError] = useState<string>();
  const indicators = () =>
    download(`/v1/campaigns/${encodeURIComponent(id)}/indicators`, `${id}.stix.json`).then(
      () => setDownloadError(undefined),
      (err: Error) => setDownloadError(err.message),
    );
  return (
    <>
      <h1>
        Campaign <span className="mono">{id}</span>
      </h1>
      <Load state={campaign}>
        {(c) => (
          <>
            <div className="grid">
              <Section title="Summary">
                <p>
                  <TierBadge tier={c.tier} /> score <b>{c.score.toFixed(4)}</b> · {c.size} accounts · {when(c.firstSeen)} to {when(c.lastSeen)}
                </p>
                <p className="evidence">{c.evidence.summary}</p>
                <p className="muted">Top sub-areas: {c.topAreas.map((a) => `${a.subArea} ${pct(a.share)}`).join(', ')}</p>
                {c.rates && (
                  <p className="muted">
                    {c.rates.lastDay.promptsPerHour} prompts/h over its last day, peak {c.rates.peak.promptsPerHour}/h, {c.rates.outputTokens.toLocaleString()} output tokens harvested.
                  </p>
                )}
                {c.releasePivots.map((p) => (
                  <p key={p.release} className="muted">
                    Release {p.release}: {pct(p.campaign.share)} of its exposed members switched, against {pct(p.organic.share)} of organic accounts{p.pivoted ? ' — pivoted' : ''}.
                  </p>
                ))}
                <p>
                  <button type="button" onClick={() => void indicators()}>
                    Download indicators (STIX 2.1)
                  </button>{' '}
                  <a href={`${href('search')}?campaign=${encodeURIComponent(id)}`}>Search within this campaign</a>
                </p>
                {downloadError && <p className="error">{downloadError}</p>}
              </Section>
              <Section title="Verdict">
                <VerdictForm subject="campaign" id={c.clusterId} onRecorded={campaign.reload} />
              </Section>
            </div>
            <div className="grid">
              <Section title="Members and the evidence linking them">
                <CampaignGraph campaign={c} />
                <GraphLegend />
              </Section>
              <Section title="Shared templates and infrastructure">
                <Table head={['Kind', 'Shared', 'Links']} rows={c.links} rowKey={(l) => `${l.kind}:${l.key}`} cells={(l) => [l.kind, styled('prompt-text', l.key), l.edges]} />
              </Section>
            </div>
            <Section title="Timeline: prompts per day">
              <DailyBars days={c.timeline} label="campaign timeline" />
            </Section>
            <Section title="Members">
              <Table
                head={['Account', 'Own tier', 'Score', 'Prompts']}
                rows={c.members}
                rowKey={(m) => m.accountId}
                cells={(m) => [<AccountLink id={m.accountId} />, <TierBadge tier={m.ownTier} />, m.score?.toFixed(4) ?? '—', m.prompts]}
              />
            </Section>
          </>
        )}
      </Load>
    </>
  );
}
