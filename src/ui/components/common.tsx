import type { ReactNode } from 'react';
import type { Loaded } from '../hooks.js';
import { href } from '../hooks.js';
import type { Tier } from '../types.js';

export function TierBadge({ tier }: { tier: Tier }) {
  return <span className={`tier tier-${tier}`}>{tier}</span>;
}

export function AccountLink({ id }: { id: string }) {
  return (
    <a href={href('account', id)} className="mono">
      {id}
    </a>
  );
}

export function CampaignLink({ id }: { id: string }) {
  return (
    <a href={href('campaign', id)} className="mono">
      {id}
    </a>
  );
}

export function ClusterLink({ id, label }: { id: string; label?: string }) {
  return <a href={href('cluster', id)}>{label ?? id}</a>;
}

/** Shows what a load is doing: loading, the API's error in words, or the content. */
export function Load<T>({ state, children }: { state: Loaded<T>; children: (data: T) => ReactNode }) {
  if (state.error) return <p className="error" role="alert">{state.error.message}</p>;
  if (state.data === undefined) return <p className="muted">Loading…</p>;
  return <>{children(state.data)}</>;
}

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="panel">
      <header>
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

export const when = (iso: string | null | undefined) => (iso ? iso.replace('T', ' ').slice(0, 16) : '—');
export const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** The area a cluster's prompts mostly belong to. */
export function topArea(areas: Record<string, number>): string {
  return Object.entries(areas).sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'other';
}

/** One colour per taxonomy area, stable across views. */
const AREA_COLOURS: Record<string, string> = {
  swe: '#3b82f6',
  math: '#f59e0b',
  agentic: '#8b5cf6',
  reasoning: '#10b981',
  knowledge: '#06b6d4',
  writing: '#ec4899',
  safety: '#ef4444',
  language: '#84cc16',
  advice_chat: '#a3a3a3',
};
export const areaColour = (area: string) => AREA_COLOURS[area] ?? '#737373';

/** White to red by a share in [0, 1]. */
export const shareColour = (share: number) => `hsl(0, 80%, ${Math.round(95 - 50 * Math.min(1, Math.max(0, share)))}%)`;
