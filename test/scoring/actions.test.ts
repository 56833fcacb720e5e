import { describe, expect, it } from 'vitest';
import { actionsFor } from '../../src/model/scoring/actions.js';
import { PARAMS } from '../fixtures/detector.js';

const rules = PARAMS.actions;
const names = (xs: { action: string }[]) => xs.map((x) => x.action);

describe('actions', () => {
  it('fire by tier, mildest first, each saying why', () => {
    expect(actionsFor(rules, { tier: 'none', prompts: 500 })).toEqual([]);
    expect(names(actionsFor(rules, { tier: 'watch', prompts: 500 }))).toEqual(['watch']);
    expect(names(actionsFor(rules, { tier: 'review', prompts: 500 }))).toEqual(['watch', 'rate_limit', 'review']);
    const block = actionsFor(rules, { tier: 'block', prompts: 500 });
    expect(names(block)).toEqual(['watch', 'rate_limit', 'review', 'suspend']);
    expect(block.at(-1)!.why).toBe('tier block (at least block) and 500 prompts (at least 20)');
  });

  it('never suspend an account on a handful of prompts, and take down a campaign at block', () => {
    expect(names(actionsFor(rules, { tier: 'block', prompts: 6 }))).not.toContain('suspend');
    const heir = actionsFor(rules, { tier: 'block', prompts: 6, campaign: { clusterId: 'cmp_1', tier: 'block' } });
    expect(heir.at(-1)).toEqual({ action: 'campaign_takedown', why: 'member of campaign cmp_1 at tier block (at least block)' });
  });
});
