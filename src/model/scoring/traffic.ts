import type { Embedder } from '../ports/embedder.js';
import type { Sample } from '../sample.js';
import type { Classification, Classifier } from './classifier.js';
import { countWith, type Detector } from './detector.js';
import { emptyProfile, type Profile } from './profile.js';

export interface ClassifiedTraffic {
  /** The samples sorted by time (stable), so gaps and "first flagged at" follow arrival order. */
  samples: Sample[];
  vectors: Float32Array[];
  classes: Classification[];
}

const CHUNK = 1024;

/** Embeds and classifies a batch of traffic the way the live worker does, prompt by prompt. */
export async function classifyTraffic(
  samples: readonly Sample[],
  deps: { embedder: Embedder; classifier: Classifier },
  onProgress: (done: number, total: number) => void = () => {},
): Promise<ClassifiedTraffic> {
  const sorted = samples.map((s, i) => [s, i] as const).sort((a, b) => a[0].ts - b[0].ts || a[1] - b[1]).map(([s]) => s);
  const vectors: Float32Array[] = [];
  const classes: Classification[] = [];
  for (let i = 0; i < sorted.length; i += CHUNK) {
    const chunk = sorted.slice(i, i + CHUNK);
    const vs = await deps.embedder.embed(chunk.map((s) => s.text));
    vs.forEach((v, j) => {
      vectors.push(v);
      classes.push(deps.classifier.classify(v, chunk[j]!.text));
    });
    onProgress(Math.min(i + CHUNK, sorted.length), sorted.length);
  }
  return { samples: sorted, vectors, classes };
}

export function buildProfiles(t: ClassifiedTraffic, detector: Pick<Detector, 'model' | 'params'>): Map<string, Profile> {
  const profiles = new Map<string, Profile>();
  t.samples.forEach((s, i) => {
    let p = profiles.get(s.accountId);
    if (!p) profiles.set(s.accountId, (p = emptyProfile()));
    countWith(detector, p, { ...t.classes[i]!, promptId: s.promptId, ts: s.ts, text: s.text, ...(s.metadata ? { metadata: s.metadata } : {}) });
  });
  return profiles;
}
