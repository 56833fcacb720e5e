import { readFileSync } from 'node:fs';
import { UNCALIBRATED, type Calibration } from '../../src/scoring/calibration.js';
import { detectionParamsFrom, detectionParamsSchema, type DetectionParams } from '../../src/scoring/detection-params.js';
import type { Detector } from '../../src/scoring/detector.js';
import { trainPromptModel, type PromptModel, type TrainingExample } from '../../src/scoring/prompt-model.js';

/** The shipped tunables: tests score with the values the product ships. */
export const PARAMS: DetectionParams = detectionParamsFrom(detectionParamsSchema.parse(JSON.parse(readFileSync(new URL('../../models/detection.json', import.meta.url), 'utf8'))));

const CURRICULUM = [
  'Write a function that returns the nth prime number.',
  'Write a Python function to check whether a string is a palindrome.',
  'Create a program that sorts an array of integers using merge sort.',
  'A shop sells 12 apples at $2 each and 7 pears at $3 each. How much money does it take in?',
  'Tom has 5 boxes with 8 marbles each. He gives away 13 marbles. How many are left?',
  'Solve for x: 3x + 7 = 22.',
  'Given a list of numbers, return the sum of the even ones.',
  'Implement a stack class with push, pop and peek methods.',
  'Generate a SQL query that selects the top 5 customers by revenue.',
  'Classify the following sentence as positive or negative: The film was dull.',
  'Find the derivative of f(x) = x^3 + 2x.',
  'Convert the following temperature from Celsius to Fahrenheit: 30 degrees.',
];
const ORGANIC = [
  'hi, how are you today?',
  "I'm so tired today, my boss keeps yelling at me, what should I do",
  'who sang hotel california',
  'my python script crashes with a KeyError when I read my config, any idea why?',
  'we are moving to berlin next month, which neighbourhoods are nice for families',
  'what time does the pharmacy near me close',
  'can you recommend a good book, I liked the last one you suggested',
  'I tried restarting my router twice but my wifi still drops every evening',
  'best pizza in naples',
  'my daughter asked me why the sky is blue and I did not know what to say lol',
  'is it normal that my cat sleeps all day',
  'thanks, that worked! one more thing about my code though',
];

/** A prompt model trained on a dozen hand-written prompts of each kind: tiny, fast, deterministic. */
export function fixtureModel(): PromptModel {
  const examples: TrainingExample[] = [
    ...CURRICULUM.map((text) => ({ text, curriculum: true, source: 'fixture-curriculum' })),
    ...ORGANIC.map((text) => ({ text, curriculum: false, source: 'fixture-organic' })),
  ];
  return trainPromptModel(examples, { version: 'fixture-1', trainedOn: 'test fixtures', command: 'test' }, { epochs: 20 }).model;
}

export function fixtureDetector(calibration: Calibration = UNCALIBRATED, params: Partial<DetectionParams> = {}): Detector {
  return { model: fixtureModel(), params: { ...PARAMS, ...params }, calibration };
}
