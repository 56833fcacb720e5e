import type { Calibration } from './calibration.js';
import type { DetectionParams } from './detection-params.js';
import type { PromptModel } from './prompt-model.js';
import { countPrompt, type ClassifiedPrompt, type Profile, type PromptEvidence } from './profile.js';

/**
 * The whole detection model in one value: the per-prompt curriculum model, the versioned tunables
 * and the organic calibration. Pure: the worker's score fold, `scan`, `eval` and the tests all
 * count and score with the same object.
 */
export interface Detector {
  readonly model: PromptModel;
  readonly params: DetectionParams;
  readonly calibration: Calibration;
}

/**
 * The prompt model's clipped ratio for one classified prompt. Outside the high-value areas (when
 * `highValueOnly`) a prompt can only count against curriculum: a distiller pays to harvest
 * software, agentic, maths and reasoning answers, while people's instruction-like requests for
 * letters, stories and advice are where the prompt model errs most on sources it never saw.
 */
export function promptEvidence(d: Pick<Detector, 'model' | 'params'>, p: Pick<ClassifiedPrompt, 'text' | 'highValue'>): PromptEvidence {
  const clip = d.params.llrClip;
  const llr = Math.max(-clip, Math.min(clip, d.model.llr(p.text)));
  return { llr: d.params.highValueOnly && !p.highValue ? Math.min(0, llr) : llr, explain: () => d.model.explain(p.text) };
}

/** Counts one prompt into a profile the caller owns, with the detector's view of it. */
export function countWith(d: Pick<Detector, 'model' | 'params'>, profile: Profile, p: ClassifiedPrompt): void {
  countPrompt(profile, p, promptEvidence(d, p));
}
