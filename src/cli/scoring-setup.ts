import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Embedder } from '../domain/embedder.js';
import { createTransformersEmbedder } from '../embedding/transformers-embedder.js';
import { loadCalibration, type Calibration } from '../scoring/calibration.js';
import { buildClassifier, type Classifier } from '../scoring/classifier.js';
import { loadTaxonomy } from '../scoring/taxonomy.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_MODELS_DIR = path.join(REPO, 'models');
export const DEFAULT_MODEL = 'glove-sif-100d';
export const DEFAULT_TAXONOMY = path.join(REPO, 'models/taxonomy/taxonomy.json');
export const DEFAULT_CALIBRATION = path.join(REPO, 'models/calibration.json');

/** The pieces every offline command scores with, loaded the way the service loads them. */
export async function loadScoring(opts: { models: string; model: string; taxonomy: string }): Promise<{ embedder: Embedder; classifier: Classifier }> {
  const embedder = await createTransformersEmbedder({ modelsDir: opts.models, model: opts.model });
  const classifier = await buildClassifier(await loadTaxonomy(opts.taxonomy), embedder);
  return { embedder, classifier };
}

export async function loadCalibrationFile(file: string): Promise<Calibration> {
  try {
    return await loadCalibration(file);
  } catch (err) {
    throw new Error(`cannot use calibration ${file}: ${(err as Error).message} (make one with npm run calibrate)`);
  }
}
