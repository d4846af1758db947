// Which parameters train. Names are HF state-dict names (`bert.embeddings.*`,
// `bert.encoder.layer.<i>.*`, `bert.pooler.*`, `classifier.*`).

/**
 * 'none': everything trains. 'embeddings': the embedding block is frozen. {lower: N}: embeddings
 * and encoder layers 0..N-1 are frozen. 'encoder': embeddings and every encoder layer are frozen,
 * so only pooler + classifier train; the pooler only feeds the classifier (HF
 * BertForSequenceClassification), and MLM checkpoints ship none, so it counts as head here.
 */
export type FreezeSpec = 'none' | 'embeddings' | 'encoder' | { lower: number };

export function isFrozen(name: string, spec: FreezeSpec): boolean {
  if (spec === 'none') return false;
  if (name.startsWith('bert.embeddings.')) return true;
  if (spec === 'embeddings') return false;
  const m = /^bert\.encoder\.layer\.(\d+)\./.exec(name);
  if (!m) return false;
  return spec === 'encoder' || Number(m[1]) < spec.lower;
}

/** True when the encoder's outputs never change during training, so they can be computed once. */
export function encoderFullyFrozen(spec: FreezeSpec, numLayers: number): boolean {
  return spec === 'encoder' || (typeof spec === 'object' && spec.lower >= numLayers);
}

/** Parses 'none' | 'embeddings' | 'encoder' | 'lower:N' (the CLI / UI spelling). */
export function parseFreeze(s: string): FreezeSpec {
  if (s === 'none' || s === 'embeddings' || s === 'encoder') return s;
  const m = /^lower:(\d+)$/.exec(s);
  if (m) return { lower: Number(m[1]) };
  throw new Error(`--freeze must be none, embeddings, lower:N or encoder, got ${JSON.stringify(s)}`);
}

export function freezeLabel(spec: FreezeSpec): string {
  return typeof spec === 'string' ? spec : `lower:${spec.lower}`;
}
