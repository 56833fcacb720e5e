import { describe, expect, it } from 'vitest';
import { skeletonKeys } from '../../src/model/scoring/text-cues.js';

describe('skeletonKeys', () => {
  it('maps filled-in copies of a template to the same keys', () => {
    const a = skeletonKeys('Answer the following question in one short sentence. Question: who wrote hamlet');
    const b = skeletonKeys('Answer the following question in one short sentence. Question: when did rome fall');
    expect(a[0]).toBe(b[0]);
    expect(a[1]).not.toBe(b[1]);
    const c = skeletonKeys('Sort the list of 12 numbers. Think step by step and show your work.');
    const d = skeletonKeys('Find the median of 7 values. Think step by step and show your work.');
    expect(c[1]).toBe(d[1]);
  });
  it('folds digits and skips prompts too short to hold a slot', () => {
    expect(skeletonKeys('Compute 12 plus 30 and then print the result to the console please')).toEqual(
      skeletonKeys('Compute 99 plus 7 and then print the result to the console please'),
    );
    expect(skeletonKeys('who wrote hamlet')).toEqual([]);
  });
  it('takes the first and last line of a multi-line prompt: a harness around the item', () => {
    const a = skeletonKeys('[BEGIN TASK]\nWrite a function to add 2 numbers.\n[END TASK]');
    const b = skeletonKeys('[BEGIN TASK]\nCount the vowels in a string.\n[END TASK]');
    expect(a).toEqual(['^[begin task]', '$[end task]']);
    expect(b).toEqual(a);
  });
});
