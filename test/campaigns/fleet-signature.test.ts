import { describe, expect, it } from 'vitest';
import { behaviourOf, joinFleets, type Behaviour } from '../../src/model/campaigns/fleet-signature.js';
import type { Cluster } from '../../src/model/campaigns/types.js';
import { emptyProfile } from '../../src/model/scoring/profile.js';
import { PARAMS } from '../fixtures/detector.js';
import { count, HOUR, prompt, T0 } from '../fixtures/scoring.js';

const PROVIDERS = ['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com'];
const CLIENTS = ['openai/python 1.51.0', 'python-httpx/0.27.0', 'curl/8.5.0', 'mozilla/5.0 chrome/130.0'];
/** A deterministic spread in [0, 1) per index, so members differ the way a real wave's do. */
const spread = (i: number, k: number) => ((i * 7919 + k * 104729) % 1000) / 1000;

/** A clean fleet's account: a popular provider, one client, hours from signup to work, a burst of a day or two. */
function fleetAccount(i: number, over: Partial<Behaviour> = {}): Behaviour {
  return {
    client: 'python-httpx/0.27.0',
    emailDomain: PROVIDERS[i % PROVIDERS.length]!,
    lag: 2 + 3 * spread(i, 1),
    span: 4.6 + 1.2 * spread(i, 2),
    volume: 4.2 + 1.2 * spread(i, 3),
    cadence: 3.4 + 0.4 * spread(i, 4),
    jitter: 0.2 + 0.15 * spread(i, 5),
    areas: { swe: 0.35 + 0.1 * spread(i, 6), math: 0.35 - 0.1 * spread(i, 6), agentic: 0.3 },
    ...over,
  };
}

/** An ordinary account: signed up months before, sessions spread over weeks, everyday questions. */
function organicAccount(i: number): Behaviour {
  return {
    client: CLIENTS[i % CLIENTS.length]!,
    emailDomain: i % 3 === 0 ? `company${i % 40}.com` : PROVIDERS[i % PROVIDERS.length]!,
    lag: i % 5 === 0 ? 0.2 * spread(i, 1) : 9 + 3 * spread(i, 1),
    span: 3 + 7 * spread(i, 2),
    volume: 1 + 5 * spread(i, 3),
    cadence: 2.5 + 3 * spread(i, 4),
    jitter: 0.5 + 1.2 * spread(i, 5),
    areas: { knowledge: 0.5 * spread(i, 6), advice_chat: 0.4, swe: 0.6 - 0.5 * spread(i, 6) },
  };
}

function population(waves: Behaviour[][], organic = 300) {
  const behaviours = new Map<string, Behaviour>();
  const clusters: Cluster[] = waves.map((w, k) => {
    const members = w.map((b, i) => {
      const id = `w${k}-${String(i).padStart(2, '0')}`;
      behaviours.set(id, b);
      return id;
    });
    return { id: `cmp_w${k}`, members, edges: [] };
  });
  for (let i = 0; i < organic; i++) behaviours.set(`org-${i}`, organicAccount(i));
  return { clusters, behaviours };
}

const wave = (from: number, n: number, over: Partial<Behaviour> = {}) => Array.from({ length: n }, (_, i) => fleetAccount(from + i, over));

describe('joining fleet waves', () => {
  it('joins waves weeks apart that share how they are run, with the evidence on an edge', () => {
    const { clusters, behaviours } = population([wave(0, 20), wave(100, 15), wave(200, 8)]);
    const { clusters: joined, merges } = joinFleets(clusters, new Set(clusters.map((c) => c.id)), behaviours, PARAMS.fleetLinking);
    expect(joined).toHaveLength(1);
    expect(joined[0]!.members).toHaveLength(43);
    expect(merges.every((m) => m.nats >= PARAMS.fleetLinking.minNats && m.agreement >= PARAMS.fleetLinking.minAgreement)).toBe(true);
    const edge = joined[0]!.edges.find((e) => e.reasons[0]!.kind === 'fleet-signature')!;
    expect(edge.reasons[0]!.key).toMatch(/of each cluster in the other's signature.*of \d+ other accounts/);
  });

  it('keeps apart two fleets on the same client when one sets accounts up with throwaway domains and runs them differently', () => {
    const sloppy = wave(300, 20, { emailDomain: 'mail-3f2a1.xyz' }).map((b, i) => ({ ...b, emailDomain: `mail-${i % 3}.xyz`, lag: 5.5 + spread(i, 9), areas: { math: 0.6, swe: 0.4 } }));
    const { clusters, behaviours } = population([wave(0, 20), sloppy]);
    expect(joinFleets(clusters, new Set(clusters.map((c) => c.id)), behaviours, PARAMS.fleetLinking).merges).toEqual([]);
  });

  it('joins only clusters that are campaigns on their own evidence, and needs a box of several members', () => {
    const { clusters, behaviours } = population([wave(0, 20), wave(100, 15), wave(400, 2)]);
    expect(joinFleets(clusters, new Set(['cmp_w0']), behaviours, PARAMS.fleetLinking).merges).toEqual([]);
    const all = joinFleets(clusters, new Set(clusters.map((c) => c.id)), behaviours, PARAMS.fleetLinking);
    expect(all.clusters.find((c) => c.members.includes('w2-00'))!.members).toHaveLength(2);
  });

  it('does not join waves whose signature ordinary accounts share', () => {
    // Two "waves" that look like everyday users: the population falls in their box as often as they do.
    const everyday = (from: number) => Array.from({ length: 12 }, (_, i) => organicAccount(from + i * 4));
    const { clusters, behaviours } = population([everyday(1000), everyday(2000)], 600);
    expect(joinFleets(clusters, new Set(clusters.map((c) => c.id)), behaviours, PARAMS.fleetLinking).merges).toEqual([]);
  });

  it('reads an account behaviour from its profile: signup lag, lifecycle, cadence and areas', () => {
    const p = [0, 1, 2, 3].reduce(
      (acc, i) => count(acc, { ...prompt(`task ${i}`, i % 2 ? 'math.algebra' : 'swe.python', T0 + 10 * HOUR + i * HOUR), metadata: { userAgent: 'Python-HTTPX/0.27.0', emailDomain: 'Gmail.com', signupTs: new Date(T0).toISOString() } }),
      emptyProfile(),
    );
    const b = behaviourOf(p)!;
    expect(b).toMatchObject({ client: 'python-httpx/0.27.0', emailDomain: 'gmail.com', areas: { swe: 0.5, math: 0.5 } });
    expect(b.lag).toBeCloseTo(Math.log2(11), 6);
    expect(b.span).toBeCloseTo(2, 6);
    expect(b.cadence).toBeCloseTo(Math.log10(3600), 6);
    expect(b.jitter).toBeCloseTo(0, 6);
    expect(behaviourOf(count(emptyProfile(), prompt('one', 'swe.python', T0)))).toBeNull();
  });
});
