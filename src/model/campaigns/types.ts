import type { Sample } from '../sample.js';

/** One prompt as the linker reads it: the sample and its embedding (unit vector). */
export interface LinkPrompt extends Pick<Sample, 'accountId' | 'promptId' | 'ts' | 'text' | 'metadata'> {
  vector: Float32Array;
}

export type ReasonKind = 'template' | 'near-duplicate' | 'synchrony' | 'infrastructure' | 'fleet-signature';

export interface EdgeReason {
  kind: ReasonKind;
  /** What the two accounts share: a template line, a metadata value, a prompt. */
  key: string;
  /** Points this reason adds to the edge weight. */
  weight: number;
  /** Accounts among all that carry the key: the rarer, the more it says. */
  accountsWithKey: number;
  examplePromptIds: string[];
}

export interface AccountEdge {
  a: string;
  b: string;
  weight: number;
  reasons: EdgeReason[];
}

export interface Cluster {
  id: string;
  members: string[];
  /** The edges at or over the threshold that hold the cluster together. */
  edges: AccountEdge[];
}
