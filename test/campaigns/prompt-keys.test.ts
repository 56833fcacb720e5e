import { describe, expect, it } from 'vitest';
import { infrastructureKeys, templateKeys } from '../../src/model/campaigns/prompt-keys.js';

describe('templateKeys', () => {
  it('takes the wrapper lines around the slot, digits folded', () => {
    expect(templateKeys('Answer in 1 short sentence please.\nQuestion: who wrote hamlet')).toEqual([
      '^answer in 0 short sentence please.',
      '$question: who wrote hamlet',
    ]);
  });
  it('gives a single-line prompt no template', () => {
    expect(templateKeys('Write a function that reverses a string.')).toEqual([]);
  });
  it('skips lines too short to be wording (code braces, fences)', () => {
    expect(templateKeys('```python\nx = 1\n```')).toEqual([]);
  });
});

describe('infrastructureKeys', () => {
  it('derives the /24 and the signup hour', () => {
    const keys = infrastructureKeys({ ip: '203.0.113.7', asn: 64500, signupTs: '2026-05-01T12:34:00Z', userAgent: null });
    expect(keys).toContain('ip:203.0.113.7');
    expect(keys).toContain('net24:203.0.113');
    expect(keys).toContain('asn:64500');
    expect(keys).toContain(`signupHour:${Math.floor(Date.parse('2026-05-01T12:00:00Z') / 3600000)}`);
    expect(keys.some((k) => k.startsWith('userAgent'))).toBe(false);
  });
  it('marks a signup wave: the signup hour and the client together, in two offset buckets', () => {
    const at = (iso: string) => infrastructureKeys({ signupTs: iso, userAgent: 'OpenAI/Python 1.51.0' }).filter((k) => k.startsWith('signupWave'));
    const hour = Math.floor(Date.parse('2026-05-01T12:00:00Z') / 3600000);
    expect(at('2026-05-01T12:34:00Z')).toEqual([`signupWave:${hour}|openai/python 1.51.0`, `signupWave:${hour + 1}+|openai/python 1.51.0`]);
    // 12:55 and 13:05 fall in different hours but one offset bucket.
    expect(at('2026-05-01T12:55:00Z').filter((k) => at('2026-05-01T13:05:00Z').includes(k))).toHaveLength(1);
  });
  it('gives nothing without metadata', () => {
    expect(infrastructureKeys(undefined)).toEqual([]);
  });
});
