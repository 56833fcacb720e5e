import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../../src/adapters/lexical/bm25-index.js';

const texts = [
  'Write a function to reverse a linked list in place.',
  'Merge two sorted linked lists into one sorted list.',
  'What is a good recipe for banana bread?',
  'How do I reverse the order of words in a sentence?',
  'quick one for you: reverse a singly linked list without extra memory',
];
const build = () => {
  const ix = Bm25Index.create();
  texts.forEach((t, i) => ix.add(i + 1, t));
  return ix;
};

describe('BM25 word index', () => {
  it('ranks prompts sharing the rarer query words first, ignoring stop words', () => {
    const ix = build();
    const hits = ix.search('Reverse a linked list', 3);
    expect(hits.map((h) => h.label).sort((a, b) => a - b)).toEqual([1, 2, 5]);
    expect(hits[0]!.label === 1 || hits[0]!.label === 5).toBe(true);
    expect(hits.every((h, i) => i === 0 || h.score <= hits[i - 1]!.score)).toBe(true);
    expect(ix.search('the a of', 5)).toEqual([]);
    // Numbers are not words here: templated prompts differ only in them.
    ix.add(9, 'order 12345 shipped');
    expect(ix.search('12345', 5)).toEqual([]);
    expect(ix.search('shipped 12345', 5).map((h) => h.label)).toEqual([9]);
    expect(ix.search('banana', 5, (label) => label !== 3)).toEqual([]);
  });

  it('forgets removed prompts, takes a label back, and compacts without changing answers', () => {
    const ix = build();
    ix.remove(1);
    ix.remove(5);
    expect(ix.size).toBe(3);
    expect(ix.search('linked list', 5).map((h) => h.label)).toEqual([2]);
    ix.add(5, 'banana bread with walnuts');
    expect(ix.search('linked', 5).map((h) => h.label)).toEqual([2]);
    expect(ix.search('banana', 5).map((h) => h.label).sort()).toEqual([3, 5]);
    for (let i = 100; i < 200; i++) ix.add(i, `filler prompt number ${i}`);
    for (let i = 100; i < 190; i++) ix.remove(i);
    expect(ix.search('filler', 20)).toHaveLength(10);
    expect(ix.has(150)).toBe(false);
  });

  it('survives its snapshot, and reads a MiniSearch snapshot written before it', () => {
    const ix = build();
    ix.remove(3);
    const again = Bm25Index.load(ix.toJSON());
    expect(again.size).toBe(4);
    expect(again.search('reverse linked list', 5)).toEqual(ix.search('reverse linked list', 5));
    const mini = '{"documentCount":2,"nextId":2,"documentIds":{"0":5,"1":9},"fieldIds":{"text":0},"fieldLength":{"0":[2],"1":[3]},"averageFieldLength":[2.5],"storedFields":{},"dirtCount":0,"index":[["world",{"0":{"0":1}}],["hello",{"0":{"0":2,"1":1}}],["the",{"0":{"1":1}}],["there",{"0":{"1":1}}]],"serializationVersion":2}';
    const converted = Bm25Index.load(mini);
    expect(converted.size).toBe(2);
    expect(converted.search('hello world', 5).map((h) => h.label)).toEqual([5, 9]);
  });
});
