import { readFile } from 'node:fs/promises';
import { calibrationSchema, type Calibration } from '../../model/scoring/calibration.js';
import { detectionParamsFrom, detectionParamsSchema, type DetectionParams } from '../../model/scoring/detection-params.js';
import type { Detector } from '../../model/scoring/detector.js';
import { promptModelFrom, promptModelSchema, type PromptModel } from '../../model/scoring/prompt-model.js';
import { taxonomySchema, type Taxonomy } from '../../model/scoring/taxonomy.js';

/*
 * The committed model artifacts (models/*.json) read from disk and validated: the only file I/O the
 * model's values come through, so the model itself stays pure.
 */

export async function loadCalibration(file: string): Promise<Calibration> {
  return calibrationSchema.parse(JSON.parse(await readFile(file, 'utf8')));
}

export async function loadTaxonomy(file: string): Promise<Taxonomy> {
  return taxonomySchema.parse(JSON.parse(await readFile(file, 'utf8')));
}

export async function loadDetectionParams(file: string): Promise<DetectionParams> {
  const r = detectionParamsSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!r.success) throw new Error(`${file}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return detectionParamsFrom(r.data);
}

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
