import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Embedder } from '../model/ports/embedder.js';
import { createTransformersEmbedder } from '../adapters/transformers/transformers-embedder.js';
import type { Detector } from '../model/scoring/detector.js';
import { loadDetector, loadTaxonomy } from '../adapters/files/model-files.js';
import { buildClassifier, type Classifier } from '../model/scoring/classifier.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_MODELS_DIR = path.join(REPO, 'models');
export const DEFAULT_MODEL = 'glove-sif-100d';
export const DEFAULT_TAXONOMY = path.join(REPO, 'models/taxonomy/taxonomy.json');
export const DEFAULT_CALIBRATION = path.join(REPO, 'models/calibration.json');
export const DEFAULT_PROMPT_MODEL = path.join(REPO, 'models/prompt-model.json');
export const DEFAULT_PARAMS = path.join(REPO, 'models/detection.json');

/** The pieces every offline command scores with, loaded the way the service loads them. */
export async function loadScoring(opts: { models: string; model: string; taxonomy: string }): Promise<{ embedder: Embedder; classifier: Classifier }> {
  const embedder = await createTransformersEmbedder({ modelsDir: opts.models, model: opts.model });
  const classifier = await buildClassifier(await loadTaxonomy(opts.taxonomy), embedder);
  return { embedder, classifier };
}

/** The shipped detector, or the files named on the command line. */
export async function loadDetectorFiles(files: { calibration: string; 'prompt-model': string; params: string }): Promise<Detector> {
  try {
    return await loadDetector({ calibration: files.calibration, promptModel: files['prompt-model'], params: files.params });
  } catch (err) {
    throw new Error(`cannot load the detector: ${(err as Error).message}`);
  }
}
