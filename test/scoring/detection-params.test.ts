import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectionParamsSchema } from '../../src/model/scoring/detection-params.js';

const shipped = JSON.parse(readFileSync(new URL('../../models/detection.json', import.meta.url), 'utf8'));

describe('detection parameters', () => {
  it('ships a valid file where every tunable says why', () => {
    const r = detectionParamsSchema.safeParse(shipped);
    expect(r.success).toBe(true);
  });

  it('refuses a value without its reason, an unknown tunable, and an inverted range', () => {
    const { reason: _, ...bare } = shipped.llrClip;
    expect(detectionParamsSchema.safeParse({ ...shipped, llrClip: bare }).error?.issues[0]?.path).toEqual(['llrClip', 'reason']);
    expect(detectionParamsSchema.safeParse({ ...shipped, surprise: { value: 1, reason: 'a reason long enough to pass' } }).success).toBe(false);
    const inverted = { ...shipped, templatedJob: { ...shipped.templatedJob, value: { from: 0.9, to: 0.7, minPrompts: 20, maxAccounts: 5 } } };
    expect(detectionParamsSchema.safeParse(inverted).error?.issues[0]?.message).toBe('templatedJob.from must be below templatedJob.to');
  });
});
