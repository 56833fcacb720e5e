import { createHash, createHmac } from 'node:crypto';
import { HOUR_MS } from '../time.js';
import type { LinkSummary } from './score-campaigns.js';

/** What a campaign's indicators are made from: its id, timing and the evidence that links it. */
export interface IndicatorSource {
  clusterId: string;
  size: number;
  score: number;
  tier: string;
  firstSeen: string | null;
  lastSeen: string | null;
  links: readonly LinkSummary[];
}

export interface StixOptions {
  /** The reporting provider, the bundle's `identity`. */
  provider: string;
  /**
   * Key of the HMAC that hides payment fingerprints and template lines: share it only with the
   * partners who should match them. Without one those indicators are left out, never sent raw.
   */
  salt: string | null;
  now: Date;
}

type StixObject = Record<string, unknown> & { type: string; id: string };

/**
 * A STIX 2.1 bundle another provider can load: the reporting `identity`, the `campaign`, one
 * `indicator` per shared piece of infrastructure or template, and `relationship`s saying each
 * indicates the campaign. Addresses, /24 ranges, mail domains and client strings are patterns as
 * they are; payment fingerprints and template lines only as HMAC-SHA256 under `salt`, never raw.
 * Ids are name-based (UUIDv5), so the same campaign exported twice gives the same objects.
 */
export function campaignBundle(c: IndicatorSource, opts: StixOptions): { type: 'bundle'; id: string; objects: StixObject[] } {
  const ts = opts.now.toISOString();
  const identity: StixObject = { type: 'identity', spec_version: '2.1', id: stixId('identity', opts.provider), created: ts, modified: ts, name: opts.provider, identity_class: 'organization' };
  const campaignId = stixId('campaign', `${opts.provider}|${c.clusterId}`);
  const campaign: StixObject = {
    type: 'campaign',
    spec_version: '2.1',
    id: campaignId,
    created: ts,
    modified: ts,
    created_by_ref: identity.id,
    name: `distillation campaign ${c.clusterId}`,
    description: `${c.size} accounts harvesting model answers with curriculum-like prompts; tier ${c.tier}, score ${c.score}.`,
    ...(c.firstSeen ? { first_seen: c.firstSeen } : {}),
    ...(c.lastSeen ? { last_seen: c.lastSeen } : {}),
    objective: 'Harvest model outputs to train a copy model (distillation).',
  };
  const objects: StixObject[] = [identity, campaign];
  for (const link of c.links) {
    const p = pattern(link, opts.salt);
    if (!p) continue;
    const id = stixId('indicator', `${campaignId}|${p.pattern}`);
    objects.push({
      type: 'indicator',
      spec_version: '2.1',
      id,
      created: ts,
      modified: ts,
      created_by_ref: identity.id,
      name: p.name,
      description: `Shared by accounts of ${c.clusterId} (${link.edges} links between members).`,
      indicator_types: ['malicious-activity'],
      pattern: p.pattern,
      pattern_type: 'stix',
      valid_from: c.firstSeen ?? ts,
    });
    objects.push({ type: 'relationship', spec_version: '2.1', id: stixId('relationship', `${id}|indicates|${campaignId}`), created: ts, modified: ts, created_by_ref: identity.id, relationship_type: 'indicates', source_ref: id, target_ref: campaignId });
  }
  return { type: 'bundle', id: stixId('bundle', `${campaignId}|${ts}`), objects };
}

/** The STIX pattern for one kind of linking evidence; none for evidence no partner can match on. */
function pattern(link: LinkSummary, salt: string | null): { name: string; pattern: string } | null {
  if (link.kind === 'template') return salt === null ? null : { name: 'operator template line (HMAC-SHA256)', pattern: `[x-prompt-template:line_hmac_sha256 = '${hmac(salt, link.key)}']` };
  if (link.kind !== 'infrastructure') return null;
  const at = link.key.indexOf(':');
  const kind = link.key.slice(0, at);
  const value = link.key.slice(at + 1);
  switch (kind) {
    case 'ip':
      return { name: `shared IPv4 address ${value}`, pattern: `[ipv4-addr:value = '${quote(value)}']` };
    case 'net24':
      return { name: `shared IPv4 range ${value}.0/24`, pattern: `[ipv4-addr:value ISSUBSET '${quote(value)}.0/24']` };
    case 'emailDomain':
      return { name: `shared mail domain ${value}`, pattern: `[email-addr:value MATCHES '${quote(`@${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)}']` };
    case 'userAgent':
      return { name: 'shared client user agent', pattern: `[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = '${quote(value)}']` };
    case 'signupWave': {
      // `<hour>[+]|<client>`: accounts created in that hour (a half hour earlier with `+`) with that client.
      const m = value.match(/^(\d+)(\+?)\|(.+)$/);
      if (!m) return null;
      const from = (Number(m[1]) - (m[2] ? 0.5 : 0)) * HOUR_MS;
      const iso = (ms: number) => new Date(ms).toISOString();
      return {
        name: `signup wave: accounts created ${iso(from)} to ${iso(from + HOUR_MS)} with one client`,
        pattern: `[user-account:account_created >= t'${iso(from)}' AND user-account:account_created < t'${iso(from + HOUR_MS)}'] AND [network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = '${quote(m[3]!)}']`,
      };
    }
    case 'paymentFingerprint':
      return salt === null ? null : { name: 'shared payment card (HMAC-SHA256 of its fingerprint)', pattern: `[x-payment-card:fingerprint_hmac_sha256 = '${hmac(salt, value)}']` };
    default:
      // ASNs and signup hours alone describe a moment or a network too broad to block on.
      return null;
  }
}

/** A STIX pattern string literal: backslash and quote escaped. */
function quote(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

function hmac(salt: string, value: string): string {
  return createHmac('sha256', salt).update(value).digest('hex');
}

/** `type--uuid` with a name-based UUID (version 5 layout over SHA-1), stable for the same name. */
export function stixId(type: string, name: string): string {
  const h = createHash('sha1').update(`distill-radar:${type}:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${type}--${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
