import { describe, expect, it } from 'vitest';
import { accountVerdict, scoreCampaigns } from '../../src/model/campaigns/score-campaigns.js';
import type { Cluster } from '../../src/model/campaigns/types.js';
import { calibrate } from '../../src/model/scoring/calibration.js';
import { countWith } from '../../src/model/scoring/detector.js';
import { emptyProfile, type Profile } from '../../src/model/scoring/profile.js';
import { scoreProfile } from '../../src/model/scoring/score.js';
import { fixtureDetector, PARAMS } from '../fixtures/detector.js';
import { prompt, T0 } from '../fixtures/scoring.js';

const calibration = calibrate(Array.from({ length: 1000 }, (_, i) => (i < 990 ? 0 : i - 989)), { id: 'test', source: 'test', targets: PARAMS.calibration });
const detector = fixtureDetector(calibration);
const profileOf = (texts: string[]): Profile => {
  const p = emptyProfile();
  texts.forEach((t, i) => countWith(detector, p, prompt(t, 'swe.python', T0 + i * 60_000)));
  return p;
};
const TASKS = ['Write a Python function that returns the {n}th prime number.', 'A shop sells {n} apples at $2 each. How much money does it take in?', 'Implement a stack class with push and pop for {n} items.', 'Solve for x: {n}x + 7 = 22.'];
const tasks = (n: number, from = 0) => Array.from({ length: n }, (_, i) => TASKS[i % TASKS.length]!.replace('{n}', String(from + i)));
const chat = (n: number) => Array.from({ length: n }, (_, i) => `hi, I'm so tired today, my boss ${i} keeps yelling at me`);
const link = { kind: 'template' as const, key: '$think step by step.', weight: 2, accountsWithKey: 3, examplePromptIds: ['p1'] };
const cluster = { id: 'cmp_1', members: ['a', 'b', 'c'], edges: [{ a: 'a', b: 'b', weight: 2, reasons: [link] }, { a: 'b', b: 'c', weight: 2, reasons: [link] }] };

describe('scoreCampaigns', () => {
  it('makes a campaign of a cluster whose pooled evidence is flagged, with its linking evidence', () => {
    // Three small fleet accounts: each alone under the review bar, together over it.
    const profiles = new Map([['a', profileOf(tasks(3))], ['b', profileOf(tasks(3, 10))], ['c', profileOf(tasks(3, 20))]]);
    for (const p of profiles.values()) expect(scoreProfile(p, detector).tier).not.toMatch(/review|block/);
    const [c] = scoreCampaigns([cluster], profiles, detector);
    expect(c).toMatchObject({ clusterId: 'cmp_1', campaign: true, links: [{ kind: 'template', key: '$think step by step.', edges: 2 }] });
    expect(c!.heirs).toEqual(['a', 'b', 'c']);
    expect(accountVerdict('a', scoreProfile(profiles.get('a')!, detector), c)).toMatchObject({ clusterId: 'cmp_1', campaign: { size: 3 } });
    expect(accountVerdict('a', scoreProfile(profiles.get('a')!, detector), c).tier).toMatch(/review|block/);
  });

  it('never lets a member inherit whose own prompts give no evidence, and never flags an organic cluster', () => {
    const profiles = new Map([['a', profileOf(tasks(20))], ['b', profileOf(tasks(20, 30))], ['c', profileOf(chat(20))]]);
    const [c] = scoreCampaigns([cluster], profiles, detector);
    expect(c!.campaign).toBe(true);
    expect(c!.heirs).toEqual(['a', 'b']);
    expect(accountVerdict('c', scoreProfile(profiles.get('c')!, detector), c)).toMatchObject({ tier: 'none', clusterId: null, campaign: null });
    const organic = new Map([['a', profileOf(chat(20))], ['b', profileOf(chat(20))], ['c', profileOf(chat(20))]]);
    expect(scoreCampaigns([cluster], organic, detector)[0]).toMatchObject({ campaign: false, heirs: [] });
  });
});

describe('scoreCampaigns and templated jobs', () => {
  const harness = (n: number, from = 0) => tasks(n, from).map((t) => `Question: ${t}\nAnswer:`);
  it('keeps a benchmark run inside an organic team out of the pool: the team is no campaign', () => {
    const team: Cluster = { id: 'cmp_team', members: ['a', 'b', 'c', 'd', 'e', 'f', 'g'], edges: ['b', 'c', 'd', 'e', 'f', 'g'].map((x) => ({ a: 'a', b: x, weight: 5, reasons: [{ kind: 'infrastructure' as const, key: 'paymentFingerprint:team-card', weight: 5, accountsWithKey: 7, examplePromptIds: [] }] })) };
    const profiles = new Map([['a', profileOf(harness(200))], ['b', profileOf(harness(200, 500))], ...['c', 'd', 'e', 'f', 'g'].map((m) => [m, profileOf(chat(20))] as const)]);
    // The two benchmark runners share their harness template too.
    team.edges.push({ a: 'a', b: 'b', weight: 2, reasons: [{ ...link, accountsWithKey: 2 }] });
    expect(scoreCampaigns([team], profiles, detector)[0]).toMatchObject({ campaign: false, heirs: [] });
  });
  it('gives no excuse to a wrapper a fleet shares', () => {
    const members = Array.from({ length: 8 }, (_, i) => `f${i}`);
    const wrapper = { ...link, accountsWithKey: members.length };
    const fleet = { id: 'cmp_fleet', members, edges: members.slice(1).map((x) => ({ a: 'f0', b: x, weight: 2, reasons: [wrapper] })) };
    const profiles = new Map(members.map((m, i) => [m, profileOf(harness(6, i * 10))] as const));
    const [c] = scoreCampaigns([fleet], profiles, detector);
    expect(c).toMatchObject({ campaign: true });
    expect(c!.heirs).toEqual(members);
  });
});
