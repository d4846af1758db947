// What the in-browser parity harness (harness.ts) hands back to parity.spec.ts: plain numbers only,
// so page.evaluate can serialise them. Tolerances are the README's (shared/fixtures/bert-parity).

/** 'wasm-threads': tfjs-wasm's threaded build with a pool of at least 2 threads (?threads=1 in the app). */
export type HarnessBackend = 'wasm' | 'wasm-threads' | 'webgpu' | 'webgl' | 'cpu';

export const TOL = {
  /** Parameters after 3 AdamW steps: abs. */
  paramAbs: 2e-6,
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

/** The fixture's 3 AdamW steps on bert-seqcls through the engine (train.ts trainParity). */
export interface TrainParityReport {
  requested: HarnessBackend;
  active: string;
  /** The optimizer's decay / no-decay split equals fixture.json adamw's lists. */
  decayGroupingMatches: boolean;
  /** Loss before steps 1, 2, 3 and after step 3. */
  losses: number[];
  expectedLosses: number[];
  /** |actual - expected| / |expected| per loss. */
  lossRel: number[];
  /** Max |actual - expected| per `adamw.after3.*` tensor (name without the prefix). */
  params: Record<string, number>;
  numTensorsBefore: number;
  numTensorsAfter: number;
  ms: number;
}

/** What one train() run (loop.ts) emitted. */
export interface TrainLoopRun {
  steps: Array<{ step: number; loss: number; gradNorm: number; lr: number }>;
  epochs: Array<{ epoch: number; trainLoss: number; validLoss: number }>;
  /** Last caching-features progress [done, total] (frozen encoder only). */
  phaseDone: [number, number] | null;
  /** Per checkpoint handed out: sum |w| of the weights and of the Adam moments it carried. */
  checkpoints: Array<{ step: number; weightsAbsSum: number; momentsAbsSum: number }>;
  done: { reason: string; steps: number; totalSteps: number } | null;
  errors: string[];
  /** sum |w| of result.state.weights. */
  finalWeightsAbsSum: number;
}

export interface TrainLoopReport {
  requested: HarnessBackend;
  active: string;
  /** 2 epochs x 3 updates, every parameter trained. */
  full: TrainLoopRun;
  /** 1 epoch, encoder frozen: cached [CLS] features, pooler + head trained. */
  frozen: TrainLoopRun;
  numTensorsBefore: number;
  numTensorsAfter: number;
  ms: number;
}

declare global {
  interface Window {
    runParity(backend: HarnessBackend): Promise<ParityReport>;
    runTrainParity(backend: HarnessBackend): Promise<TrainParityReport>;
    runTrainLoop(backend: HarnessBackend): Promise<TrainLoopReport>;
  }
}
