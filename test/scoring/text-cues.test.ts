import { describe, expect, it } from 'vitest';
import { elicitsReasoning, promptStyle, skeletonKeys } from '../../src/scoring/text-cues.js';

describe('elicitsReasoning', () => {
  it.each([
    'Solve it. Think step by step.',
    'Show your full chain of thought before answering.',
    'Explain your reasoning in detail, then give the final answer.',
    'Walk me through your thought process.',
    'Grade this answer using the rubric below.',
    'Give a well-commented solution.',
  ])('flags %j', (t) => expect(elicitsReasoning(t)).toBe(true));
  it.each(['What is the capital of France?', 'Write a step function for the physics engine.', 'show me the way to the station'])(
    'does not flag %j',
    (t) => expect(elicitsReasoning(t)).toBe(false),
  );
});

describe('promptStyle', () => {
  it('recognises self-contained tasks', () => {
    expect(promptStyle('Write a function that reverses a string.')).toBe('task');
    expect(promptStyle('Given an array of integers, return the largest.')).toBe('task');
    expect(promptStyle('Sam has 3 apples and buys 5 more at the market on Sunday morning before lunch. How many does he have?')).toBe('task');
    expect(promptStyle('def f(x):\n    return x')).toBe('task');
  });
  it('recognises conversation', () => {
    expect(promptStyle("I'm planning a trip to Rome, any tips?")).toBe('conversational');
    expect(promptStyle('Can you help me with my homework?')).toBe('conversational');
    expect(promptStyle('hi there')).toBe('conversational');
  });
  it('calls everything else a query', () => {
    expect(promptStyle('who won the world cup in 2010')).toBe('query');
    expect(promptStyle('How to merge two dicts in python')).toBe('query');
  });
});

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
});
