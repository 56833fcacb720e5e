import { describe, expect, it } from 'vitest';
import { accountVerdict, scoreCampaigns } from '../../src/campaigns/score-campaigns.js';
import { UNCALIBRATED, type Calibration } from '../../src/scoring/calibration.js';
import { emptyProfile } from '../../src/scoring/profile.js';
import type { AccountScore } from '../../src/scoring/score.js';

const FLAG_ALL: Calibration = { ...UNCALIBRATED, id: 'flag-all', thresholds: { watch: -1, review: -1, block: 2 } };
const cluster = { id: 'cmp_1', members: ['a', 'b'], edges: [{ a: 'a', b: 'b', weight: 1, reasons: [{ kind: 'template' as const, key: '$think step by step.', weight: 1, accountsWithKey: 2, examplePromptIds: ['p1'] }] }] };
const profiles = new Map([['a', emptyProfile()], ['b', emptyProfile()]]);
const own: AccountScore = { score: 0.01, tier: 'none', evidence: { prompts: 3, topSubAreas: [], features: [], examplePromptIds: [], calibration: 'x' } };

describe('scoreCampaigns', () => {
  it('makes a campaign only of a cluster whose pooled tier is flagged, with its linking evidence', () => {
    const [flagged] = scoreCampaigns([cluster], profiles, FLAG_ALL);
    expect(flagged).toMatchObject({ clusterId: 'cmp_1', campaign: true, tier: 'review', links: [{ kind: 'template', key: '$think step by step.', edges: 1 }] });
    const [organic] = scoreCampaigns([cluster], profiles, UNCALIBRATED);
    expect(organic!.campaign).toBe(false);
  });
});

describe('accountVerdict', () => {
  it('lets a small member inherit its campaign tier and clusterId', () => {
    const [c] = scoreCampaigns([cluster], profiles, FLAG_ALL);
    expect(accountVerdict(own, c)).toMatchObject({ tier: 'review', clusterId: 'cmp_1', campaign: { size: 2, tier: 'review' } });
  });
  it('gives a member of an unflagged cluster no clusterId and its own tier', () => {
    const [c] = scoreCampaigns([cluster], profiles, UNCALIBRATED);
    expect(accountVerdict(own, c)).toMatchObject({ tier: 'none', clusterId: null, campaign: null });
  });
});
