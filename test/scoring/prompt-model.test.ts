import { describe, expect, it } from 'vitest';
import { describeFeature, namedFeatures } from '../../src/model/scoring/prompt-features.js';
import { promptModelFrom, promptModelSchema, trainPromptModel } from '../../src/model/scoring/prompt-model.js';
import { fixtureModel } from '../fixtures/detector.js';

describe('prompt features', () => {
  it('describe how a prompt is written: openings, endings, who speaks, shape', () => {
    const f = namedFeatures("My build fails.\nI'm getting an error when I run npm ci, any idea?");
    expect([...f.keys()]).toEqual(expect.arrayContaining(['first:my', 'last:?', 'first-person:2-3', 'questions:1', 'lines:2-3', 'head-end:.', 'w:error']));
    expect(describeFeature('first2:write a')).toBe('opens with "write a"');
    expect(describeFeature('w:function')).toBe('the word "function"');
  });
});

describe('prompt model', () => {
  it('learns from labelled prompts to tell instruction data from people, on prompts it never saw', () => {
    const m = fixtureModel();
    expect(m.llr('Write a function that checks whether a number is a perfect square.')).toBeGreaterThan(1);
    expect(m.llr("I'm stuck, my laptop fan is so loud since yesterday, what can I do")).toBeLessThan(-1);
    expect(m.explain('Write a function that checks whether a number is a perfect square.').length).toBeGreaterThan(0);
  });

  it('is deterministic and its file round-trips through the schema', () => {
    const examples = [
      { text: 'Write a program that sorts numbers.', curriculum: true, source: 'c' },
      { text: 'hey my cat is sick what do I do', curriculum: false, source: 'o' },
    ];
    const meta = { version: 't', trainedOn: 'two prompts', command: 'test' };
    const one = trainPromptModel(examples, meta);
    const two = trainPromptModel(examples, meta);
    expect(one.file).toEqual(two.file);
    const back = promptModelFrom(promptModelSchema.parse(JSON.parse(JSON.stringify(one.file))));
    expect(back.llr('Write a program that adds numbers.')).toBeCloseTo(one.model.llr('Write a program that adds numbers.'), 3);
  });

  it('weighs every source of a class equally, so one big pool does not define it', () => {
    const big = Array.from({ length: 200 }, (_, i) => ({ text: `Solve for x: ${i}x + 1 = 7.`, curriculum: true, source: 'big' }));
    const small = [{ text: 'Translate the sentence into French: good morning.', curriculum: true, source: 'small' }];
    const organic = Array.from({ length: 20 }, (_, i) => ({ text: `hi I need help with my garden ${i}`, curriculum: false, source: 'o' }));
    const m = trainPromptModel([...big, ...small, ...organic], { version: 't', trainedOn: '', command: '' }).model;
    expect(m.llr('Translate the sentence into French: good morning.')).toBeGreaterThan(0);
  });
});
