import { describe, expect, it } from 'vitest';
import { allowListed, labelsOf, verdictInput, type Verdict } from '../src/model/verdicts.js';

const verdict = (over: Partial<Verdict>): Verdict => ({ subject: 'account', id: 'a', verdict: 'benign', note: '', by: 'analyst', at: 1, nats: 40, accounts: { a: 40 }, ...over });

describe('verdicts', () => {
  it('keeps a benign account unflagged until its evidence grows by a review bar since the verdict', () => {
    const v = verdict({});
    expect(allowListed(v, 'a', 40, 25)).toBe(true);
    expect(allowListed(v, 'a', 64.9, 25)).toBe(true);
    expect(allowListed(v, 'a', 65, 25)).toBe(false);
    expect(allowListed(v, 'b', 40, 25)).toBe(false);
    expect(allowListed(verdict({ verdict: 'malicious' }), 'a', 40, 25)).toBe(false);
    expect(allowListed(undefined, 'a', 40, 25)).toBe(false);
  });

  it('turns the newest verdict covering each account into a training label, leaving unsure ones out', () => {
    const labels = labelsOf([
      verdict({ subject: 'campaign', id: 'cmp_1', verdict: 'malicious', at: 1, accounts: { a: 30, b: 50, c: 10 } }),
      verdict({ id: 'c', verdict: 'benign', at: 2, accounts: { c: 10 } }),
      verdict({ id: 'd', verdict: 'unsure', at: 3, accounts: { d: 5 } }),
    ]);
    expect(labels).toEqual([
      { accountId: 'a', label: 'extraction' },
      { accountId: 'b', label: 'extraction' },
      { accountId: 'c', label: 'organic' },
    ]);
  });

  it('names what is wrong with a verdict', () => {
    const r = verdictInput.safeParse({ subject: 'user', id: '', verdict: 'guilty' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message)).toEqual(['subject must be one of account, campaign', 'id must not be empty', 'verdict must be one of malicious, benign, unsure']);
    expect(verdictInput.parse({ subject: 'account', id: 'a', verdict: 'benign' })).toEqual({ subject: 'account', id: 'a', verdict: 'benign', note: '' });
  });
});
