import { useMemo, useState } from 'react';
import { path } from '../api.js';
import { DailyBars } from '../components/charts.js';
import { AccountLink, ClusterLink, Load, Section, TierBadge, areaColour, pct, shareColour, topArea, when } from '../components/common.js';
import { Table } from '../components/table.js';
import { href, useApi } from '../hooks.js';
import type { ClusterDetail, ClusterSummary, MapPoint } from '../types.js';

/** The prompt clusters on a 2-D map (computed and cached by the service), and as a filterable list. */
export function ClustersView() {
  const [colour, setColour] = useState<'area' | 'flagged'>('area');
  const map = useApi<{ points: MapPoint[] }>(path('/v1/clusters/map', { minSize: 2, limit: 500 }));
  const [filter, setFilter] = useState({ q: '', area: '', minSize: '2' });
  const list = useApi<{ clusters: ClusterSummary[]; total: number }>(path('/v1/clusters', { ...filter, limit: 50 }));
  return (
    <>
      <h1>Prompt clusters</h1>
      <Section
        title="Map"
        actions={
          <label>
            Colour by{' '}
            <select value={colour} onChange={(e) => setColour(e.target.value as 'area' | 'flagged')}>
              <option value="area">capability area</option>
              <option value="flagged">share sent by flagged accounts</option>
            </select>
          </label>
        }
      >
        <Load state={map}>{(m) => <ClusterMap points={m.points} colour={colour} />}</Load>
      </Section>
      <Section title="Clusters">
        <form className="filters" onSubmit={(e) => e.preventDefault()}>
          <input placeholder="words in the label" value={filter.q} onChange={(e) => setFilter({ ...filter, q: e.target.value })} />
          <input placeholder="area (swe, math, …)" value={filter.area} onChange={(e) => setFilter({ ...filter, area: e.target.value })} />
          <label>
            min size <input type="number" min={1} value={filter.minSize} onChange={(e) => setFilter({ ...filter, minSize: e.target.value })} />
          </label>
        </form>
        <Load state={list}>
          {(d) => (
            <>
              <p className="muted">{d.total} clusters match.</p>
              <Table
                head={['Cluster', 'Prompts', 'Accounts', 'Area', 'Last seen']}
                rows={d.clusters}
                rowKey={(c) => c.id}
                cells={(c) => [<ClusterLink id={c.id} label={c.label} />, c.size, c.accounts, topArea(c.areas), when(c.lastSeen)]}
              />
            </>
          )}
        </Load>
      </Section>
    </>
  );
}

const LABELLED = 12;

function ClusterMap({ points, colour }: { points: MapPoint[]; colour: 'area' | 'flagged' }) {
  const size = 640;
  const placed = useMemo(() => {
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const scale = (size - 40) / Math.max(1e-9, x1 - x0, y1 - y0);
    return points.map((p) => ({ p, x: 20 + (p.x - x0) * scale, y: 20 + (p.y - y0) * scale, r: 3 + Math.min(14, Math.sqrt(p.size) / 2) }));
  }, [points]);
  if (!points.length) return <p className="muted">No clusters of two or more prompts yet.</p>;
  const areas = [...new Set(points.map((p) => topArea(p.areas)))].sort();
  return (
    <>
      <svg className="chart" width={size} height={size} role="img" aria-label="cluster map">
        {placed.map(({ p, x, y, r }) => (
          <a key={p.id} href={href('cluster', p.id)} data-cluster={p.id}>
            <circle cx={x} cy={y} r={r} fill={colour === 'area' ? areaColour(topArea(p.areas)) : shareColour(p.flaggedShare)} fillOpacity={0.75} stroke="#374151" strokeWidth={0.5}>
              <title>{`${p.label}: ${p.size} prompts from ${p.accounts} accounts, ${pct(p.flaggedShare)} from flagged accounts`}</title>
            </circle>
          </a>
        ))}
        {/* The biggest clusters say what they are without a hover. */}
        {[...placed]
          .sort((a, b) => b.p.size - a.p.size)
          .slice(0, LABELLED)
          .map(({ p, x, y, r }) => (
            <text key={p.id} x={x + r + 2} y={y + 4} className="map-label">
              {p.label}
            </text>
          ))}
      </svg>
      <p className="legend">
        {colour === 'area'
          ? areas.map((a) => (
              <span key={a}>
                <i style={{ background: areaColour(a) }} /> {a}
              </span>
            ))
          : [0, 0.5, 1].map((s) => (
              <span key={s}>
                <i style={{ background: shareColour(s) }} /> {pct(s)} flagged
              </span>
            ))}
      </p>
    </>
  );
}

/** One cluster: its label, when it was sent, by whom, and what it holds. */
export function ClusterView({ id }: { id: string }) {
  const cluster = useApi<ClusterDetail>(`/v1/clusters/${encodeURIComponent(id)}`);
  return (
    <Load state={cluster}>
      {(c) => (
        <>
          <h1>
            Cluster “{c.label}” <span className="mono muted">{c.id}</span>
          </h1>
          <div className="grid">
            <Section title="Summary">
              <p>
                {c.size} prompts from {c.accounts} accounts, {when(c.firstSeen)} to {when(c.lastSeen)}. <b>{pct(c.flaggedShare)}</b> sent by flagged accounts.
              </p>
              <p className="muted">
                Areas:{' '}
                {Object.entries(c.areas)
                  .sort((a, b) => b[1] - a[1])
                  .map(([a, n]) => `${a} ${n}`)
                  .join(', ')}
              </p>
              <DailyBars days={c.daily} label="cluster prompts per day" />
            </Section>
            <Section title="Accounts sending it">
              <Table rows={c.topAccounts} rowKey={(a) => a.accountId} cells={(a) => [<AccountLink id={a.accountId} />, <TierBadge tier={a.tier} />, `${a.prompts} prompts`]} />
            </Section>
          </div>
          <Section title="Example prompts">
            <ul className="examples">
              {c.examples.map((e) => (
                <li key={e.promptId}>
                  <span className="prompt-text">{e.text}</span> — <AccountLink id={e.accountId} />
                </li>
              ))}
            </ul>
          </Section>
        </>
      )}
    </Load>
  );
}
