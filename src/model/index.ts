// Public API of the model folder: BERT in TensorFlow.js with Hugging Face numerics and names.
export { BertModel } from './bert';
export type { BertInputs, BertOutput, ForwardOptions, HeadOptions, HeadOutput, HeadLabels } from './bert';
export {
  parseBertConfig,
  validateBertConfig,
  bertConfigToJson,
  numLabelsOf,
  countParameters,
  ConfigError,
  BERT_DEFAULTS,
} from './config';
export type { BertConfig, HiddenAct, ProblemType } from './config';
export { loadBertFromWeights, createBert, canonicalName } from './load';
export type { LoadOptions, LoadReport } from './load';
export { HEAD_KINDS, ARCHITECTURES, usesPooler, modelSpecs } from './specs';
export type { HeadKind, ParamSpec } from './specs';
export { registerTrainingKernels } from './kernels';
export { setMatMulStrategy, matMulStrategy } from './layers/ops';
export type { MatMulStrategy } from './layers/ops';
export { crossEntropy, bceWithLogits, mse, IGNORE_INDEX } from './heads/losses';
export { sequenceClassificationLoss, resolveProblemType } from './heads/sequenceClassification';
export { tokenClassificationLoss } from './heads/tokenClassification';
export { questionAnsweringLoss } from './heads/questionAnswering';
export { mlmLoss, maskedPositions } from './heads/maskedLM';
export { sentenceEmbedding } from './heads/sentenceEmbedding';
export type { EmbeddingOptions, Pooling } from './heads/sentenceEmbedding';
export { isLinearWeight } from './layout';
