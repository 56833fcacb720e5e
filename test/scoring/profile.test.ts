import { describe, expect, it } from 'vitest';
import { BUCKET_MS, emptyProfile, EXAMPLES, mergeProfiles, RETENTION_MS, SKETCH_SIZE, type ClassifiedPrompt, type Profile } from '../../src/model/scoring/profile.js';
import { HOUR, prompt, T0, count } from '../fixtures/scoring.js';

const build = (ps: ClassifiedPrompt[]): Profile => ps.reduce(count, emptyProfile());

const accountA = [
  prompt('Write a function that sorts a list of numbers.', 'swe.python', T0),
  prompt('Sam buys 3 pens for $2 each and pays with a $10 note. How much change does he get back?', 'math.word_problems', T0 + HOUR),
  prompt('hi, how are you today?', 'chat.smalltalk', T0 + 2 * HOUR),
  prompt('Write a function that sorts a list of words. Think step by step.', 'swe.python', T0 + 3 * HOUR),
];
const accountB = [
  prompt('Select all rows from the orders table where total exceeds 100. Think step by step.', 'swe.sql', T0 + 30 * HOUR),
  prompt('who wrote the iliad', 'knowledge.history_geography', T0 + 31 * HOUR),
  prompt('Answer in one sentence. Question: who painted the mona lisa and in which city', 'knowledge.culture_entertainment', T0 + 32 * HOUR),
];

describe('profile', () => {
  it('counts each prompt into the bounded state', () => {
    const p = build(accountA);
    expect(p.n).toBe(4);
    expect(p.subAreas).toEqual({ 'swe.python': 2, 'math.word_problems': 1, 'chat.smalltalk': 1 });
    expect(p.highValue).toBe(3);
    expect(p.highValueByArea).toEqual({ swe: 2, math: 1 });
    expect(p.firstTs).toBe(T0);
    expect(p.lastTs).toBe(T0 + 3 * HOUR);
    expect(p.hourOfDay.reduce((a, b) => a + b, 0)).toBe(4);
    expect(p.gaps.count).toBe(3);
    expect(p.examples.map((e) => e.promptId).sort()).toEqual([accountA[0]!, accountA[1]!, accountA[3]!].map((x) => x.promptId).sort());
  });

  it('is pure and JSON round-trips', () => {
    const empty = emptyProfile();
    const one = count(empty, accountA[0]!);
    expect(empty.n).toBe(0);
    expect(JSON.parse(JSON.stringify(one))).toEqual(one);
  });

  it('merging equals the profile of the union (gap moments are pooled within members)', () => {
    const merged = mergeProfiles(build(accountA), build(accountB));
    const union = build([...accountA, ...accountB]);
    const { gaps: mg, ...mRest } = merged;
    const { gaps: ug, ...uRest } = union;
    expect({ ...mRest, examples: [...mRest.examples].sort((x, y) => x.rank - y.rank) }).toEqual({ ...uRest, examples: [...uRest.examples].sort((x, y) => x.rank - y.rank) });
    expect(mg.count).toBe(ug.count - 1);
    expect(mergeProfiles(build(accountB), build(accountA))).toEqual(merged);
    expect(mergeProfiles(emptyProfile(), build(accountA))).toEqual(build(accountA));
  });

  it('stays bounded whatever the volume', () => {
    let p = emptyProfile();
    for (let i = 0; i < 800; i++) {
      p = count(p, prompt(`Variant ${i % 97} unique${i} of a very long prompt that is here for the sketch to chew on`, 'swe.python', T0 + i * 4 * HOUR));
    }
    expect(Object.keys(p.skeletons).length).toBeLessThanOrEqual(SKETCH_SIZE);
    expect(p.examples.length).toBe(EXAMPLES);
    expect(Object.keys(p.buckets).length).toBeLessThanOrEqual(RETENTION_MS / BUCKET_MS + 1);
    expect(p.n).toBe(800);
  });

  it('keeps the 24-hour peak after its buckets age out', () => {
    let p = emptyProfile();
    for (let i = 0; i < 50; i++) p = count(p, prompt('burst prompt', 'swe.python', T0 + i * 60_000));
    p = count(p, prompt('much later', 'swe.python', T0 + RETENTION_MS + 10 * 24 * HOUR));
    expect(Object.keys(p.buckets)).toHaveLength(1);
    expect(p.peak24h).toBe(50);
  });
});
