// What the in-browser parity harness (harness.ts) hands back to parity.spec.ts: plain numbers only,
// so page.evaluate can serialise them. Tolerances are the README's (shared/fixtures/bert-parity).

export type HarnessBackend = 'wasm' | 'webgpu' | 'webgl' | 'cpu';

export const TOL = {
  /** Hidden states, pooler, logits at non-pad positions: abs. */
  output: 1e-4,
  /** Losses: rel. */
  lossRel: 1e-4,
  /** Gradients: abs + rel * |expected|. */
  gradAbs: 1e-6,
  gradRel: 1e-3,
} as const;

export interface GradDeviation {
  maxAbs: number;
  /** max over elements of |a - e| / (gradAbs + gradRel * |e|): <= 1 means within tolerance. */
  worstRatio: number;
}

export interface ParityReport {
  requested: HarnessBackend;
  /** tf.getBackend() while the numbers were computed. */
  active: string;
  notes: string[];
  /** WebGL only: whether 32-bit float textures are in use (16-bit ones cannot meet the tolerances). */
  webglFloat32?: boolean;
  /** Names of tensors the loader had to initialise or found mis-shaped, per checkpoint (should be none). */
  loadIssues: string[];
  /** Max |actual - expected| over non-pad positions, keyed "<checkpoint>.<batch>.<output>". */
  outputs: Record<string, number>;
  /** |actual - expected| / |expected| per fixture.json loss. */
  losses: Record<string, number>;
  /** MLM top-5 ids at real tokens that differ from PyTorch's (ties aside, expected 0). */
  top5Mismatches: number;
  /** Seq-cls CE gradients, keyed by HF parameter name (word embeddings: the rows present). */
  grads: Record<string, GradDeviation>;
  /** Non-zero word-embedding gradient entries for ids absent from the batch (expected 0). */
  wordGradNonZeroElsewhere: number;
  numTensorsBefore: number;
  numTensorsAfter: number;
  ms: number;
  /** Wall time per checkpoint (load + measurements). */
  stageMs: Record<string, number>;
}

declare global {
  interface Window {
    runParity(backend: HarnessBackend): Promise<ParityReport>;
  }
}
