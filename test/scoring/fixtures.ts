import type { Classification } from '../../src/scoring/classifier.js';
import { addPrompt, type ClassifiedPrompt, type Profile, type PromptEvidence } from '../../src/scoring/profile.js';
import type { Taxonomy } from '../../src/scoring/taxonomy.js';

/** A small taxonomy whose sub-areas share no words, so the hashed bag-of-words embedder separates them. */
export function tinyTaxonomy(): Taxonomy {
  return {
    version: 'test-1',
    classifier: { k: 2, minSimilarity: 0.3, temperature: 0.05, cues: [] },
    areas: [
      {
        id: 'swe',
        label: 'Software',
        highValue: true,
        subAreas: [
          { id: 'python', label: 'Python', exemplars: ['python function list sort', 'python script parse csv file', 'python class method list'] },
          { id: 'sql', label: 'SQL', exemplars: ['sql query select join table', 'sql table index column', 'select rows from table where column'] },
        ],
      },
      { id: 'math', label: 'Maths', highValue: true, subAreas: [{ id: 'word_problems', label: 'Word problems', exemplars: ['apples oranges cost dollars how many', 'train miles hours speed how far', 'marbles boxes each total how many'] }] },
      { id: 'chat', label: 'Chat', highValue: false, subAreas: [{ id: 'smalltalk', label: 'Small talk', exemplars: ['hello friend how are you today', 'good morning nice weather today', 'tell me a joke friend'] }] },
      { id: 'other', label: 'Other', highValue: false, subAreas: [{ id: 'other', label: 'Other', exemplars: [] }] },
    ],
  };
}

const HIGH_VALUE: Record<string, boolean> = { swe: true, math: true, agentic: true, reasoning: true };

let seq = 0;
/** A prompt as the profile sees it, with a hand-picked classification (no embedder involved). */
export function prompt(text: string, subArea: string, ts: number, promptId = `p${++seq}`): ClassifiedPrompt {
  const area = subArea.split('.')[0]!;
  const c: Classification = { subArea, area, highValue: HIGH_VALUE[area] ?? false, confidence: 0.9 };
  return { ...c, promptId, ts, text };
}

export const HOUR = 3600_000;
export const T0 = Date.UTC(2026, 3, 22);

/** A prompt the curriculum model has no opinion on: for tests of everything but the evidence. */
export const NO_EVIDENCE: PromptEvidence = { llr: 0, explain: () => [] };
/** `addPrompt` with no curriculum evidence, shaped for `reduce`. */
export const count = (p: Profile, x: ClassifiedPrompt): Profile => addPrompt(p, x, NO_EVIDENCE);
