import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Embedder } from '../model/ports/embedder.js';
import type { Detector } from '../model/scoring/detector.js';
import type { Classifier } from '../model/scoring/classifier.js';
import { loadConfig } from '../runtime/config.js';
import { buildContainer, type Container } from '../runtime/container.js';
import { createLogger } from '../runtime/log.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The service's defaults (src/runtime/config.ts) are the tools' defaults: declared once. */
const SHIPPED = loadConfig({});
export const DEFAULT_MODELS_DIR = SHIPPED.MODELS_DIR;
export const DEFAULT_MODEL = SHIPPED.EMBED_MODEL;
export const DEFAULT_TAXONOMY = SHIPPED.TAXONOMY_FILE;
export const DEFAULT_CALIBRATION = SHIPPED.CALIBRATION_FILE;
export const DEFAULT_PROMPT_MODEL = SHIPPED.PROMPT_MODEL_FILE;
export const DEFAULT_PARAMS = SHIPPED.DETECTION_PARAMS_FILE;
/** Input limits of the API apply to traffic files too. */
export const MAX_TEXT_CHARS = SHIPPED.MAX_TEXT_CHARS;

/** The model files an offline command may be pointed at (its flags, defaulting to the shipped ones). */
export interface ModelFiles {
  models: string;
  model: string;
  taxonomy: string;
  calibration: string;
  'prompt-model': string;
  params: string;
}

/** The model-file flags every offline command takes, with the shipped files as defaults. */
export const MODEL_FILE_FLAGS: ModelFiles = {
  calibration: DEFAULT_CALIBRATION,
  'prompt-model': DEFAULT_PROMPT_MODEL,
  params: DEFAULT_PARAMS,
  taxonomy: DEFAULT_TAXONOMY,
  models: DEFAULT_MODELS_DIR,
  model: DEFAULT_MODEL,
};

/**
 * The composition root in its offline role, configured from a command's flags rather than the
 * environment: the same parts the service builds, without Redis.
 */
export function offlineContainer(files: Partial<ModelFiles>): Container {
  const config = loadConfig({
    MODELS_DIR: files.models ?? DEFAULT_MODELS_DIR,
    EMBED_MODEL: files.model ?? DEFAULT_MODEL,
    TAXONOMY_FILE: files.taxonomy ?? DEFAULT_TAXONOMY,
    CALIBRATION_FILE: files.calibration ?? DEFAULT_CALIBRATION,
    PROMPT_MODEL_FILE: files['prompt-model'] ?? DEFAULT_PROMPT_MODEL,
    DETECTION_PARAMS_FILE: files.params ?? DEFAULT_PARAMS,
  });
  return buildContainer(config, 'offline', createLogger('warn'));
}

/** The pieces every offline command scores with, built the way the service builds them. */
export async function loadScoring(files: Partial<ModelFiles>): Promise<{ embedder: Embedder; classifier: Classifier }> {
  const c = offlineContainer(files);
  const embedder = await c.embedder();
  return { embedder, classifier: await (await c.classifier(embedder))() };
}

/** The shipped detector, or the files named on the command line. */
export async function loadDetectorFiles(files: Partial<ModelFiles>): Promise<Detector> {
  try {
    return await offlineContainer(files).detector();
  } catch (err) {
    throw new Error(`cannot load the detector: ${(err as Error).message}`);
  }
}
