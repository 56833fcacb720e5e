import { forceCenter, forceCollide, forceLink, forceManyBody, forceSimulation, type SimulationLinkDatum, type SimulationNodeDatum } from 'd3-force';
import { useMemo } from 'react';
import { href } from '../hooks.js';
import type { Campaign, Tier } from '../types.js';

interface Node extends SimulationNodeDatum {
  id: string;
  tier: Tier;
  prompts: number;
}
type Link = SimulationLinkDatum<Node> & Campaign['graph']['edges'][number];

const TIER_FILL: Record<Tier, string> = { none: '#9ca3af', watch: '#facc15', review: '#f97316', block: '#dc2626' };
const KIND_STROKE: Record<string, string> = { template: '#7c3aed', 'near-duplicate': '#2563eb', synchrony: '#0891b2', infrastructure: '#65a30d', 'fleet-signature': '#db2777' };

/**
 * A campaign's members and the evidence linking them, laid out by a force simulation run to rest
 * before drawing (a still picture: the same campaign draws the same way). Members are coloured by
 * their own tier and link to their account; links are coloured by their strongest kind of evidence.
 */
export function CampaignGraph({ campaign, size = 560 }: { campaign: Campaign; size?: number }) {
  const { nodes, links } = useMemo(() => {
    const nodes: Node[] = campaign.members.map((m, i) => {
      const angle = (2 * Math.PI * i) / campaign.members.length;
      return { id: m.accountId, tier: m.ownTier, prompts: m.prompts, x: size / 2 + (size / 3) * Math.cos(angle), y: size / 2 + (size / 3) * Math.sin(angle) };
    });
    const known = new Set(nodes.map((n) => n.id));
    const links: Link[] = campaign.graph.edges.filter((e) => known.has(e.a) && known.has(e.b)).map((e) => ({ ...e, source: e.a, target: e.b }));
    const maxWeight = Math.max(1, ...links.map((l) => l.weight));
    forceSimulation(nodes)
      .force('link', forceLink<Node, Link>(links).id((n) => n.id).strength((l) => 0.2 + 0.8 * (l.weight / maxWeight)))
      .force('charge', forceManyBody().strength(-60))
      .force('collide', forceCollide(8))
      .force('center', forceCenter(size / 2, size / 2))
      .stop()
      .tick(300);
    // Fit whatever the simulation settled on into the frame.
    const xs = nodes.map((n) => n.x!);
    const ys = nodes.map((n) => n.y!);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const scale = (size - 40) / Math.max(1, x1 - x0, y1 - y0);
    for (const n of nodes) {
      n.x = 20 + (n.x! - x0) * scale;
      n.y = 20 + (n.y! - y0) * scale;
    }
    return { nodes, links };
  }, [campaign, size]);
  const radius = (n: Node) => 4 + Math.min(8, Math.sqrt(n.prompts) / 2);
  return (
    <svg className="chart graph" width={size} height={size} role="img" aria-label="campaign graph">
      {links.map((l, i) => {
        const [s, t] = [l.source as Node, l.target as Node];
        return (
          <line key={i} x1={s.x} y1={s.y} x2={t.x} y2={t.y} stroke={KIND_STROKE[l.kinds[0] ?? ''] ?? '#9ca3af'} strokeOpacity={0.5} strokeWidth={1}>
            <title>{`${s.id} — ${t.id}: ${l.kinds.join(', ')} (${l.key})`}</title>
          </line>
        );
      })}
      {nodes.map((n) => (
        <a key={n.id} href={href('account', n.id)} data-account={n.id}>
          <circle cx={n.x} cy={n.y} r={radius(n)} fill={TIER_FILL[n.tier]} stroke="#111827" strokeWidth={0.5}>
            <title>{`${n.id}: ${n.prompts} prompts, own tier ${n.tier}`}</title>
          </circle>
        </a>
      ))}
    </svg>
  );
}

export function GraphLegend() {
  return (
    <p className="legend">
      {Object.entries(TIER_FILL).map(([t, c]) => (
        <span key={t}>
          <i style={{ background: c }} /> {t}
        </span>
      ))}
      {' · '}
      {Object.entries(KIND_STROKE).map(([k, c]) => (
        <span key={k}>
          <i style={{ background: c }} /> {k}
        </span>
      ))}
    </p>
  );
}
