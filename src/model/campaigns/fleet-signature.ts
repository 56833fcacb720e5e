/**
 * Joining the waves of one fleet. A clean fleet shares no template, card or network: each signup
 * wave links inside itself (signup hour and client), but two waves weeks apart share only how the
 * operator runs accounts: the same client and mail providers, the same lag from signup to work,
 * the same lifecycle (a burst of hours to days, then silence), the same cadence and the same
 * curriculum mix. None of that is rare alone; together it is, and how rare is measured on the
 * population at hand rather than assumed.
 *
 * A cluster's signature is the box its members span on those traits. Another cluster joins it when
 * most of its members fall in the box while the rest of the population almost never does: the
 * evidence is the likelihood ratio (G statistic, nats) of "members land in the box at the rate
 * they do" against "at the population's rate", required both ways, so a big cluster cannot swallow
 * a small one because the small one's box is loose, and two fleets that share only a client stay
 * apart when their lifecycles or curricula differ.
 */
import { HOUR_MS } from '../time.js';
import { gStatistic } from '../fleet/g-statistic.js';
import type { Profile } from '../scoring/profile.js';
import { clusterIdOf } from './cluster-accounts.js';
import type { AccountEdge, Cluster } from './types.js';

/** How an account is run, as fleet linking compares it. Times in log2 hours, counts in log2. */
export interface Behaviour {
  client: string | null;
  emailDomain: string | null;
  /** Signup to first prompt; null when the signup time is unknown. */
  lag: number | null;
  /** First to last prompt. */
  span: number;
  volume: number;
  /** Mean and spread of log10 seconds between consecutive prompts: lockstep cadence is tight. */
  cadence: number;
  jitter: number;
  /** Share of prompts per taxonomy area. */
  areas: Record<string, number>;
}

export interface FleetMergeOptions {
  /** Members a cluster needs before its box means anything. */
  minMembers: number;
  /** Share of the other cluster's members that must fall in the box, both ways. */
  minAgreement: number;
  /** Evidence (nats) over the population rate needed both ways. */
  minNats: number;
}

export interface FleetMerge {
  /** The cluster ids joined, and the evidence each way. */
  a: string;
  b: string;
  nats: number;
  agreement: number;
  /** Accounts outside both clusters that fall in either box: how unusual the shared signature is. */
  background: number;
  population: number;
}

const log2h = (ms: number) => Math.log2(1 + Math.max(0, ms) / HOUR_MS);

export function behaviourOf(p: Profile): Behaviour | null {
  if (p.n < 2 || p.firstTs === null || p.lastTs === null) return null;
  const mean = p.gaps.count ? p.gaps.sum / p.gaps.count : 0;
  const variance = p.gaps.count ? Math.max(0, p.gaps.sumSq / p.gaps.count - mean * mean) : 0;
  const areas: Record<string, number> = {};
  for (const [sub, n] of Object.entries(p.subAreas)) {
    const area = sub.split('.')[0]!;
    areas[area] = (areas[area] ?? 0) + n / p.n;
  }
  return {
    client: p.identity.client,
    emailDomain: p.identity.emailDomain,
    lag: p.identity.signupTs === null ? null : log2h(p.firstTs - p.identity.signupTs),
    span: log2h(p.lastTs - p.firstTs),
    volume: Math.log2(p.n),
    cadence: mean,
    jitter: Math.sqrt(variance),
    areas,
  };
}

type Numeric = 'lag' | 'span' | 'volume' | 'cadence' | 'jitter';
const NUMERIC: Numeric[] = ['lag', 'span', 'volume', 'cadence', 'jitter'];

interface Box {
  clients: Set<string | null>;
  domains: Set<string | null>;
  /** Most members use a mail provider common among ordinary accounts, so any such provider fits. */
  popularMail: boolean;
  ranges: Partial<Record<Numeric, [number, number]>>;
  centroid: Record<string, number>;
  radius: number;
}

/**
 * The members' span on each trait. A sample's range understates its population's (n members cover
 * about (n-1)/(n+1) of it), so numeric ranges are widened by a quarter of their width either way.
 */
function boxOf(members: readonly Behaviour[], popular: ReadonlySet<string | null>): Box {
  const ranges: Box['ranges'] = {};
  for (const f of NUMERIC) {
    const xs = members.map((b) => b[f]).filter((x): x is number => x !== null);
    if (xs.length < members.length) continue;
    const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
    ranges[f] = [lo - (hi - lo) / 4, hi + (hi - lo) / 4];
  }
  const centroid: Record<string, number> = {};
  for (const b of members) for (const [a, s] of Object.entries(b.areas)) centroid[a] = (centroid[a] ?? 0) + s / members.length;
  return {
    clients: new Set(members.map((b) => b.client)),
    domains: new Set(members.map((b) => b.emailDomain)),
    popularMail: members.filter((b) => popular.has(b.emailDomain)).length * 2 > members.length,
    ranges,
    centroid,
    radius: Math.max(...members.map((b) => variation(b.areas, centroid))),
  };
}

/**
 * The same client and the same kind of mail (the cluster's own domains, or any common provider if
 * that is what the cluster uses) are required: they are how an operator sets accounts up, and two
 * fleets run alike differ there. Of how accounts are run (lag, lifecycle, volume, cadence, mix), one
 * trait may fall outside: no single trait decides.
 */
function inBox(box: Box, b: Behaviour, popular: ReadonlySet<string | null>): boolean {
  if (!box.clients.has(b.client)) return false;
  if (!box.domains.has(b.emailDomain) && !(box.popularMail && popular.has(b.emailDomain))) return false;
  let misses = 0;
  if (variation(b.areas, box.centroid) > box.radius) misses++;
  for (const f of NUMERIC) {
    const r = box.ranges[f];
    const x = b[f];
    if (r && (x === null || x < r[0] || x > r[1])) misses++;
    if (misses > 1) return false;
  }
  return misses <= 1;
}

/** Total variation distance between two share vectors. */
function variation(p: Record<string, number>, q: Record<string, number>): number {
  let d = 0;
  for (const k of new Set([...Object.keys(p), ...Object.keys(q)])) d += Math.abs((p[k] ?? 0) - (q[k] ?? 0));
  return d / 2;
}

/**
 * Pairs of clusters (ids to member accounts) whose signatures match beyond what the population
 * explains. Cost: one pass over the population per cluster, plus members per pair.
 */
export function fleetMerges(clusters: ReadonlyMap<string, readonly string[]>, behaviours: ReadonlyMap<string, Behaviour>, opt: FleetMergeOptions): FleetMerge[] {
  const population = [...behaviours.values()];
  const popular = popularDomains(clusters, behaviours);
  const boxes = new Map<string, { box: Box; members: Behaviour[]; inside: number }>();
  for (const [id, ids] of clusters) {
    const members = ids.map((m) => behaviours.get(m)).filter((b): b is Behaviour => !!b);
    if (members.length < opt.minMembers) continue;
    const box = boxOf(members, popular);
    boxes.set(id, { box, members, inside: population.filter((b) => inBox(box, b, popular)).length });
  }
  const out: FleetMerge[] = [];
  const ids = [...boxes.keys()].sort();
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const x = boxes.get(ids[i]!)!;
      const y = boxes.get(ids[j]!)!;
      const yInX = y.members.filter((b) => inBox(x.box, b, popular)).length;
      const xInY = x.members.filter((b) => inBox(y.box, b, popular)).length;
      const agreement = Math.min(yInX / y.members.length, xInY / x.members.length);
      if (agreement < opt.minAgreement) continue;
      // The population rate of each box, leaving out both clusters, with one pseudo-account either way.
      const others = population.length - x.members.length - y.members.length;
      const bgX = Math.max(0, x.inside - x.members.length - yInX);
      const bgY = Math.max(0, y.inside - y.members.length - xInY);
      const nats = Math.min(gStatistic(yInX, y.members.length, (bgX + 1) / (others + 2)), gStatistic(xInY, x.members.length, (bgY + 1) / (others + 2)));
      if (nats >= opt.minNats) out.push({ a: ids[i]!, b: ids[j]!, nats, agreement, background: bgX + bgY, population: others });
    }
  }
  return out;
}

/** A mail domain held by this share of the accounts outside the clusters is a common provider. */
const POPULAR_MAIL = 0.01;

function popularDomains(clusters: ReadonlyMap<string, readonly string[]>, behaviours: ReadonlyMap<string, Behaviour>): Set<string | null> {
  const clustered = new Set([...clusters.values()].flat());
  const counts = new Map<string | null, number>();
  let others = 0;
  for (const [id, b] of behaviours) {
    if (clustered.has(id) || b.emailDomain === null) continue;
    others++;
    counts.set(b.emailDomain, (counts.get(b.emailDomain) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, n]) => n >= POPULAR_MAIL * others).map(([d]) => d));
}

/**
 * The clusters with every matching pair among `eligible` ones joined (transitively), each join kept
 * as an edge whose reason says what the two share and how rare that is.
 */
export function joinFleets(
  clusters: readonly Cluster[],
  eligible: ReadonlySet<string>,
  behaviours: ReadonlyMap<string, Behaviour>,
  opt: FleetMergeOptions,
): { clusters: Cluster[]; merges: FleetMerge[] } {
  const byId = new Map(clusters.map((c) => [c.id, c]));
  const merges = fleetMerges(new Map(clusters.filter((c) => eligible.has(c.id)).map((c) => [c.id, c.members])), behaviours, opt);
  if (!merges.length) return { clusters: [...clusters], merges };
  const root = new Map(clusters.map((c) => [c.id, c.id]));
  const find = (id: string): string => (root.get(id) === id ? id : find(root.get(id)!));
  for (const m of merges) root.set(find(m.b), find(m.a));
  const joined = new Map<string, { members: string[]; edges: AccountEdge[] }>();
  for (const c of clusters) {
    const r = find(c.id);
    const j = joined.get(r) ?? { members: [], edges: [] };
    joined.set(r, { members: [...j.members, ...c.members], edges: [...j.edges, ...c.edges] });
  }
  for (const m of merges) joined.get(find(m.a))!.edges.push(signatureEdge(m, byId.get(m.a)!, byId.get(m.b)!));
  const out = [...joined.values()].map(({ members, edges }) => {
    const sorted = [...members].sort();
    return { id: clusterIdOf(sorted), members: sorted, edges };
  });
  return { clusters: out, merges };
}

function signatureEdge(m: FleetMerge, a: Cluster, b: Cluster): AccountEdge {
  const key = `${Math.round(m.agreement * 100)}% of each cluster in the other's signature (client, mail domain, signup-to-work lag, lifecycle, cadence, curriculum mix); ${m.background} of ${m.population} other accounts`;
  return {
    a: a.members[0]!,
    b: b.members[0]!,
    weight: m.nats,
    reasons: [{ kind: 'fleet-signature', key, weight: m.nats, accountsWithKey: a.members.length + b.members.length, examplePromptIds: [] }],
  };
}

export function behavioursOf(profiles: ReadonlyMap<string, Profile>): Map<string, Behaviour> {
  const out = new Map<string, Behaviour>();
  for (const [id, p] of profiles) {
    const b = behaviourOf(p);
    if (b) out.set(id, b);
  }
  return out;
}
