import { readFile } from 'node:fs/promises';
import { loadCalibration } from './calibration.js';
import { loadDetectionParams } from './detection-params.js';
import type { Detector } from './detector.js';
import { promptModelFrom, promptModelSchema, type PromptModel } from './prompt-model.js';

export interface DetectorFiles {
  promptModel: string;
  params: string;
  calibration: string;
}

export async function loadPromptModel(file: string): Promise<PromptModel> {
  const r = promptModelSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!r.success) throw new Error(`${file}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')} (rebuild it with npm run train)`);
  return promptModelFrom(r.data);
}

/** The three committed artifacts the detector is made of, each validated. */
export async function loadDetector(files: DetectorFiles): Promise<Detector> {
  const [model, params, calibration] = await Promise.all([loadPromptModel(files.promptModel), loadDetectionParams(files.params), loadCalibration(files.calibration)]);
  return { model, params, calibration };
}
