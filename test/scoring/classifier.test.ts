import { loadTaxonomy } from '../../src/adapters/files/model-files.js';
import { describe, expect, it } from 'vitest';
import { buildClassifier } from '../../src/model/scoring/classifier.js';
import { OTHER, taxonomySchema } from '../../src/model/scoring/taxonomy.js';
import { fakeEmbedder } from '../fixtures/fake-embedder.js';
import { tinyTaxonomy } from '../fixtures/scoring.js';

const embedder = fakeEmbedder(256);
const classify = async (c: Awaited<ReturnType<typeof buildClassifier>>, text: string) => c.classify((await embedder.embed([text]))[0]!, text);

describe('classifier', () => {
  it('assigns the sub-area whose exemplars the prompt is nearest to, with its area and value', async () => {
    const c = await buildClassifier(tinyTaxonomy(), embedder);
    expect(await classify(c, 'python function to sort a list')).toMatchObject({ subArea: 'swe.python', area: 'swe', highValue: true });
    expect(await classify(c, 'select rows from the orders table where column is null')).toMatchObject({ subArea: 'swe.sql' });
    expect(await classify(c, 'how many apples if each box costs dollars')).toMatchObject({ subArea: 'math.word_problems' });
    expect(await classify(c, 'hello friend, good morning')).toMatchObject({ subArea: 'chat.smalltalk', highValue: false });
  });

  it('rejects prompts far from every exemplar to other.other', async () => {
    const c = await buildClassifier(tinyTaxonomy(), embedder);
    const r = await classify(c, 'zebra quantum violin');
    expect(r.subArea).toBe(OTHER);
    expect(r.highValue).toBe(false);
  });

  it('gives a confidence in (0, 1] that is higher for an exact exemplar than for a blend', async () => {
    const c = await buildClassifier(tinyTaxonomy(), embedder);
    const exact = await classify(c, 'sql query select join table');
    const blend = await classify(c, 'python sql table list');
    expect(exact.confidence).toBeGreaterThan(blend.confidence);
    expect(exact.confidence).toBeLessThanOrEqual(1);
    expect(blend.confidence).toBeGreaterThan(0);
  });

  it('applies lexical cues from the taxonomy', async () => {
    const t = tinyTaxonomy();
    const text = 'def total(apples): how many dollars';
    const plain = await classify(await buildClassifier(t, embedder), text);
    t.classifier.cues = [{ why: 'code', pattern: '^def ', flags: 'm', areaBoost: { swe: 1 } }];
    const cued = await classify(await buildClassifier(t, embedder), text);
    expect(plain.area).toBe('math');
    expect(cued.area).toBe('swe');
  });

  it('rebuilds from an edited taxonomy object (reload)', async () => {
    const t = tinyTaxonomy();
    t.areas[2]!.subAreas[0]!.exemplars.push('zebra quantum violin');
    const c = await buildClassifier(t, embedder);
    expect((await classify(c, 'zebra quantum violin')).subArea).toBe('chat.smalltalk');
    expect(c.taxonomyVersion).toBe('test-1');
  });

  it('validates taxonomies', () => {
    const t = tinyTaxonomy();
    expect(taxonomySchema.safeParse(t).success).toBe(true);
    expect(taxonomySchema.safeParse({ ...t, areas: t.areas.filter((a) => a.id !== 'other') }).success).toBe(false);
    const badCue = { ...t, classifier: { ...t.classifier, cues: [{ why: 'x', pattern: '(', flags: '', areaBoost: { swe: 0.1 } }] } };
    expect(taxonomySchema.safeParse(badCue).success).toBe(false);
  });

  it('ships a valid taxonomy with the required areas and enough exemplars', async () => {
    const t = await loadTaxonomy(new URL('../../models/taxonomy/taxonomy.json', import.meta.url).pathname);
    const areas = new Map(t.areas.map((a) => [a.id, a]));
    for (const id of ['swe', 'agentic', 'math', 'reasoning']) expect(areas.get(id)?.highValue).toBe(true);
    for (const id of ['knowledge', 'writing', 'advice_chat', 'safety', 'other']) expect(areas.get(id)?.highValue).toBe(false);
    for (const a of t.areas) for (const s of a.subAreas) if (a.id !== 'other') expect(s.exemplars.length).toBeGreaterThanOrEqual(8);
  });
});
