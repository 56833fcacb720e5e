import type { Config } from '../config.js';

export interface ThreadData {
  config: Config;
  /** Run the ingest workers here, not just the embedder. */
  runWorkers: boolean;
}

export type ToThread =
  | { type: 'embed'; id: number; texts: readonly string[] }
  | { type: 'metrics'; id: number }
  | { type: 'close'; id: number };

export type FromThread =
  | { type: 'ready'; modelId: string; dimension: number }
  | { type: 'embedded'; id: number; flat: Float32Array }
  | { type: 'metrics'; id: number; metrics: unknown[] }
  | { type: 'closed'; id: number }
  | { type: 'error'; id: number; message: string }
  | { type: 'fatal'; message: string };
