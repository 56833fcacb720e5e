import { describe, expect, it } from 'vitest';
import { campaignBundle, type IndicatorSource } from '../../src/model/campaigns/stix.js';
import { haveStixSchemas, stixErrors } from '../helpers/stix-schemas.js';

const link = (kind: 'template' | 'infrastructure', key: string) => ({ kind, key, edges: 12, weight: 30, examplePromptIds: [] });
const campaign: IndicatorSource = {
  clusterId: 'cmp_00c0ffee',
  size: 30,
  score: 0.9999,
  tier: 'block',
  firstSeen: '2026-05-01T10:00:00.000Z',
  lastSeen: '2026-05-03T18:00:00.000Z',
  links: [
    link('infrastructure', 'paymentFingerprint:card_1234abcd'),
    link('template', "$return the complete answer and explain every step you take."),
    link('infrastructure', 'ip:203.0.113.7'),
    link('infrastructure', 'net24:203.0.113'),
    link('infrastructure', "emailDomain:mail-x1.top"),
    link('infrastructure', "userAgent:python-requests/2.32.3"),
    link('infrastructure', 'asn:64500'),
    link('infrastructure', 'signupHour:493952'),
    link('infrastructure', 'signupWave:493952+|python-httpx/0.27.0'),
  ],
};
const opts = { provider: 'Example AI', salt: 'partner-salt-0123456789', now: new Date('2026-05-04T00:00:00Z') };

describe('campaign indicators as STIX 2.1', () => {
  it('names the provider and the campaign, with an indicator and a relationship per shared value', () => {
    const b = campaignBundle(campaign, opts);
    const byType = (t: string) => b.objects.filter((o) => o.type === t);
    expect(byType('identity')).toEqual([expect.objectContaining({ name: 'Example AI', identity_class: 'organization' })]);
    expect(byType('campaign')).toEqual([expect.objectContaining({ first_seen: campaign.firstSeen, last_seen: campaign.lastSeen })]);
    const patterns = byType('indicator').map((o) => o.pattern);
    expect(patterns).toEqual([
      expect.stringMatching(/^\[x-payment-card:fingerprint_hmac_sha256 = '[0-9a-f]{64}'\]$/),
      expect.stringMatching(/^\[x-prompt-template:line_hmac_sha256 = '[0-9a-f]{64}'\]$/),
      "[ipv4-addr:value = '203.0.113.7']",
      "[ipv4-addr:value ISSUBSET '203.0.113.0/24']",
      "[email-addr:value MATCHES '@mail-x1\\\\.top$']",
      "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'python-requests/2.32.3']",
      // A signup wave: accounts created in its hour with its client, the shifted bucket a half hour earlier.
      "[user-account:account_created >= t'2026-05-08T07:30:00.000Z' AND user-account:account_created < t'2026-05-08T08:30:00.000Z'] AND [network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'python-httpx/0.27.0']",
    ]);
    const ids = new Set(b.objects.map((o) => o.id));
    for (const r of byType('relationship')) {
      expect(r).toMatchObject({ relationship_type: 'indicates', target_ref: byType('campaign')[0]!.id });
      expect(ids.has(r.source_ref as string)).toBe(true);
    }
    expect(byType('relationship')).toHaveLength(7);
  });

  it('never carries a payment fingerprint or template line in the clear, and leaves them out without a salt', () => {
    const text = JSON.stringify(campaignBundle(campaign, opts));
    expect(text).not.toContain('card_1234abcd');
    expect(text).not.toContain('explain every step');
    const unsalted = campaignBundle(campaign, { ...opts, salt: null });
    expect(unsalted.objects.filter((o) => o.type === 'indicator')).toHaveLength(5);
  });

  it('gives the same ids to the same campaign exported twice', () => {
    const a = campaignBundle(campaign, opts);
    const b = campaignBundle(campaign, { ...opts, now: new Date('2026-06-01T00:00:00Z') });
    expect(b.objects.map((o) => o.id)).toEqual(a.objects.map((o) => o.id));
  });

  it.skipIf(!haveStixSchemas)('validates against the official STIX 2.1 JSON schemas of ../shared/data/stix2-json-schemas (skipped when ../shared is absent)', () => {
    expect(stixErrors(campaignBundle(campaign, opts))).toEqual([]);
  });
});
