import { describe, expect, it } from 'vitest';
import { batchSchema } from '../src/model/sample.js';

const schema = batchSchema({ maxTextChars: 100, maxBatchSamples: 3 });
const good = { accountId: 'a1', promptId: 'p1', ts: '2026-05-01T12:00:00Z', text: 'write a function' };

function firstIssue(body: unknown): string {
  const r = schema.safeParse(body);
  if (r.success) return 'ok';
  const i = r.error.issues[0]!;
  return `${i.path.join('.')}: ${i.message}`;
}

describe('batch schema', () => {
  it('accepts ISO and epoch-millisecond timestamps and normalises them to epoch ms', () => {
    const r = schema.parse({ samples: [good, { ...good, promptId: 'p2', ts: 1_777_777_777_000 }] });
    expect(r.samples.map((s) => s.ts)).toEqual([Date.parse('2026-05-01T12:00:00Z'), 1_777_777_777_000]);
  });

  it.each([
    ['empty batch', { samples: [] }, 'samples: samples must hold at least one sample'],
    ['oversized batch', { samples: [good, good, good, good] }, 'samples: samples must hold at most 3 samples'],
    ['missing text', { samples: [{ ...good, text: undefined }] }, 'samples.0.text: text is required'],
    ['numeric accountId', { samples: [{ ...good, accountId: 7 }] }, 'samples.0.accountId: accountId must be a string'],
    ['id with spaces', { samples: [{ ...good, promptId: 'p 1' }] }, 'samples.0.promptId: promptId must be 1-200 printable ASCII characters without spaces'],
    ['NaN-like ts', { samples: [{ ...good, ts: 'yesterday' }] }, 'samples.0.ts: ts must be an ISO-8601 string or integer epoch milliseconds'],
    ['far-future ts', { samples: [{ ...good, ts: Date.now() + 10 * 86400_000 }] }, 'samples.0.ts: ts is outside the accepted range (2000-01-01 to now + 1 day)'],
    ['NUL in text', { samples: [{ ...good, text: 'a\u0000b' }] }, 'samples.0.text: text must not contain NUL characters'],
    ['lone surrogate', { samples: [{ ...good, text: 'a\ud800b' }] }, 'samples.0.text: text must be valid Unicode (lone surrogate)'],
    ['too long text', { samples: [{ ...good, text: 'x'.repeat(101) }] }, 'samples.0.text: text must be at most 100 characters'],
    ['unknown field', { samples: [{ ...good, extra: 1 }] }, "samples.0: Unrecognized key(s) in object: 'extra'"],
    ['nested metadata', { samples: [{ ...good, metadata: { ip: { a: 1 } } }] }, 'samples.0.metadata.ip: metadata values must be strings (up to 1000 characters), numbers, booleans or null'],
  ])('rejects %s, naming the field', (_name, body, expected) => {
    expect(firstIssue(body)).toBe(expected);
  });

  it('keeps control characters users paste into prompts, such as terminal escapes', () => {
    expect(firstIssue({ samples: [{ ...good, text: 'colour: \u001b[31mred\u001b[0m\ttab' }] })).toBe('ok');
  });

  it('rejects __proto__ metadata keys parsed from JSON', () => {
    const body = JSON.parse('{"samples":[{"accountId":"a","promptId":"p","ts":1777777777000,"text":"t","metadata":{"__proto__":"x"}}]}');
    expect(firstIssue(body)).toMatch(/metadata.*__proto__.*not allowed/);
  });

  it('checks the metadata fields it documents, and passes other keys through', () => {
    const md = { model: 'model-a', inputTokens: 12, outputTokens: 300, signupTs: '2026-02-06T21:43:45.839Z', emailDomain: 'example.com', paymentFingerprint: 'card_bbdf44b82e33', ip: '2001:db8::1', asn: 64500, userAgent: 'OpenAI/Python 1.51.0', country: 'DE', team: 'blue' };
    expect(firstIssue({ samples: [{ ...good, metadata: md }] })).toBe('ok');
    expect(firstIssue({ samples: [{ ...good, metadata: { ...md, asn: 'AS64500' } }] })).toBe('samples.0.metadata.asn: metadata.asn must be an integer autonomous system number (or null)');
    expect(firstIssue({ samples: [{ ...good, metadata: { ip: '999.1.1.1' } }] })).toBe('samples.0.metadata.ip: metadata.ip must be an IPv4 or IPv6 address (or null)');
    expect(firstIssue({ samples: [{ ...good, metadata: { outputTokens: -3 } }] })).toMatch(/outputTokens must be an integer token count/);
    expect(firstIssue({ samples: [{ ...good, metadata: { signupTs: 'yesterday' } }] })).toMatch(/signupTs must be an ISO-8601 time/);
    expect(firstIssue({ samples: [{ ...good, metadata: { emailDomain: 'not a domain' } }] })).toMatch(/emailDomain must be a domain name/);
    expect(firstIssue({ samples: [{ ...good, metadata: { country: 'Germany', ip: null } }] })).toMatch(/country must be an ISO 3166-1/);
  });
});
