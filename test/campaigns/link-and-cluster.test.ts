import { describe, expect, it } from 'vitest';
import { clusterAccounts } from '../../src/model/campaigns/cluster-accounts.js';
import { linkAccounts, linkOptionsOf } from '../../src/model/campaigns/link-accounts.js';
import type { LinkPrompt } from '../../src/model/campaigns/types.js';
import { PARAMS } from '../fixtures/detector.js';
import { index, prompt, vectorFor } from '../fixtures/linking.js';

const THRESHOLD = PARAMS.linking.threshold;
const LINK = linkOptionsOf(PARAMS);

const TASKS = ['Write a function that merges two sorted lists.', 'Compute the sum of the first 50 primes.', 'Design a REST API for a todo app.', 'Write a SQL query for the top 5 customers.'];

/** A fleet of small accounts wrapping different items in one elicitation line, and organic users. */
function traffic(): LinkPrompt[] {
  const out: LinkPrompt[] = [];
  for (let a = 0; a < 6; a++) for (let i = 0; i < 8; i++) out.push(prompt(`fleet-${a}`, i % 2 ? `${TASKS[i % 4]} (item ${a}-${i})\n\nThink step by step.` : `${TASKS[i % 4]} (item ${a}-${i})`));
  for (let u = 0; u < 40; u++) {
    out.push(prompt(`user-${u}`, 'hi'), prompt(`user-${u}`, `tell me a fact about the number ${u}`));
    // A line many users happen to type once: common, so it must not link them.
    if (u % 2) out.push(prompt(`user-${u}`, `my essay on topic ${u}\nCan you please proofread this text for me?`));
  }
  return out;
}

describe('linkAccounts and clusterAccounts', () => {
  it('joins a fleet sharing a template and keeps organic users sharing common prompts apart', () => {
    const edges = linkAccounts(traffic(), index(), LINK);
    const clusters = clusterAccounts(edges, THRESHOLD);
    expect(clusters).toHaveLength(1);
    expect(clusters[0]!.members).toEqual(['fleet-0', 'fleet-1', 'fleet-2', 'fleet-3', 'fleet-4', 'fleet-5']);
    expect(clusters[0]!.edges[0]!.reasons[0]).toMatchObject({ kind: 'template', key: '$think step by step.', accountsWithKey: 6 });
  });

  it('finds accounts that send the same items through the index, as evidence too weak to link alone', () => {
    const items = [0, 1, 2, 3, 4, 5].map((i) => vectorFor(10_000 + i));
    const ps = [
      ...items.map((v, i) => prompt('a', `item ${i}`, { vector: v })),
      ...items.map((v, i) => prompt('b', `item ${i} again`, { vector: v })),
      ...[0, 1, 2].map((i) => prompt('c', `other ${i}`)),
    ];
    const edges = linkAccounts(ps, index(), LINK);
    const ab = edges.find((e) => e.a === 'a' && e.b === 'b');
    expect(ab?.reasons.map((r) => r.kind)).toContain('near-duplicate');
    // Six items each, all shared: 6/6 of the account, shrunk by 6/(6+2).
    expect(ab!.weight).toBeCloseTo(0.75);
    expect(ab!.weight).toBeLessThan(THRESHOLD);
    expect(edges.some((e) => e.a === 'c' || e.b === 'c')).toBe(false);
  });

  it('links accounts on a shared payment fingerprint, rare values only', () => {
    const ps: LinkPrompt[] = [];
    for (let u = 0; u < 20; u++) ps.push(prompt(`u${u}`, 'hello', { metadata: { paymentFingerprint: u < 2 ? 'card-x' : `card-${u}`, asn: 64500 } }));
    const edges = linkAccounts(ps, index(), LINK);
    expect(edges).toHaveLength(1);
    expect(edges[0]).toMatchObject({ a: 'u0', b: 'u1' });
    expect(edges[0]!.reasons[0]!.key).toBe('paymentFingerprint:card-x');
  });

  it('gives clusters stable ids from their members', () => {
    const e = (a: string, b: string, weight: number) => ({ a, b, weight, reasons: [] });
    const one = clusterAccounts([e('x', 'y', 1), e('y', 'z', 1), e('p', 'q', 0.1)], 0.5);
    const two = clusterAccounts([e('y', 'z', 2), e('x', 'y', 2)], 0.5);
    expect(one.map((c) => c.members)).toEqual([['x', 'y', 'z']]);
    expect(two[0]!.id).toBe(one[0]!.id);
  });

  it('links nobody on a value most accounts share, and needs two kinds of hint to link on hints', () => {
    const ps: LinkPrompt[] = [];
    for (let u = 0; u < 40; u++) for (let i = 0; i < 8; i++) ps.push(prompt(`u${u}`, `hello ${i}`, { metadata: { emailDomain: u < 30 ? 'gmail.com' : `corp${u}.com`, userAgent: u < 2 || u === 5 ? 'rare-client/1.0' : 'OpenAI/Python 1.51.0', signupTs: u < 2 ? '2026-05-01T10:15:00Z' : `2026-0${1 + (u % 4)}-0${1 + (u % 9)}T0${u % 10}:00:00Z` } }));
    const strong = clusterAccounts(linkAccounts(ps, index(), LINK), THRESHOLD);
    // u0 and u1 share a rare client and a signup hour: two kinds of hint. u5 shares only the client.
    expect(strong.map((c) => c.members)).toEqual([['u0', 'u1']]);
  });

  it('links a signup wave on a popular client against that client\'s own signup rate, and not an ordinary hour of a busy client', () => {
    const HOUR = 3_600_000;
    const start = Date.UTC(2024, 0, 1);
    const ps: LinkPrompt[] = [];
    const account = (id: string, signupTs: number, userAgent: string) => ps.push(prompt(id, `question ${id}`, { metadata: { userAgent, signupTs: new Date(signupTs).toISOString() } }), prompt(id, `another ${id}`, { metadata: { userAgent, signupTs: new Date(signupTs).toISOString() } }));
    // 400 ordinary accounts over two years, most on one SDK; two of them happen to sign up in the same hour.
    for (let u = 0; u < 400; u++) account(`u${u}`, start + ((u * 7919) % 17_000) * HOUR + (u % 3) * 60_000, u % 4 ? 'OpenAI/Python 1.51.0' : 'curl/8.5.0');
    account('u-twin', start + ((1 * 7919) % 17_000) * HOUR + 20 * 60_000, 'OpenAI/Python 1.51.0');
    // A fleet wave: 40 accounts on the same SDK within 40 minutes, 10% of all accounts (a share no
    // infrastructure value may have).
    const waveAt = start + 9_000 * HOUR + 5 * 60_000;
    for (let f = 0; f < 40; f++) account(`fleet-${String(f).padStart(2, '0')}`, waveAt + f * 60_000, 'OpenAI/Python 1.51.0');
    const clusters = clusterAccounts(linkAccounts(ps, index(), LINK), THRESHOLD);
    expect(clusters.map((c) => c.members.length)).toEqual([40]);
    expect(clusters[0]!.members.every((m) => m.startsWith('fleet-'))).toBe(true);
    expect(clusters[0]!.edges[0]!.reasons.map((r) => r.key)).toEqual(expect.arrayContaining([expect.stringMatching(/^signupWave:\d+\+?\|openai\/python 1\.51\.0$/)]));
  });
});
