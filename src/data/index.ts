// Public API of the data folder (pure TS: runs in Node, on the main thread and in the worker).
export { parseTable, type ParsedTable, type ParseOptions } from './parse';
export type { DataSource, BlobLike, ParseProgress, ProgressCallback } from './source';
export { ENCODING_CHOICES, decodeLatin1, decodeWindows1252, type Encoding, type EncodingChoice } from './decode';
export { DEFAULT_LIMITS, type Limits, type Quoting } from './delimited';
export type { TableFormat } from './detect';
export { DataError, MAX_LISTED_ROWS, type DataWarning } from './errors';
export { guessColumns, type ColumnGuess, type ColumnMapping, type DataTask } from './columns';
export {
  buildLabels,
  labelSetFromLists,
  labelsFromIndicatorColumns,
  labelCounts,
  splitLabelValue,
  compareLabels,
  type LabelSet,
  type BuildLabelsOptions,
} from './labels';
export { checkDataset, datasetRows, dropRows, rowsWith, type DatasetRows } from './check';
export {
  datasetStats,
  tokenLengthStats,
  classImbalance,
  percentile,
  type CountTokens,
  type DatasetStats,
  type TokenLengthStats,
} from './stats';
export { stratifiedSplit, splitByColumn, type SplitResult, type SplitOptions } from './split';
export { makeBatches, batchPaddedLengths, type BatchOptions } from './batch';
export {
  parseConll,
  parseTokenList,
  taggedSentencesFromTable,
  tagList,
  type TaggedSentence,
  type ConllOptions,
} from './conll';
export {
  squadFromJson,
  squadFromTable,
  SQUAD_CSV_COLUMNS,
  type QaExample,
  type QaAnswer,
  type QaColumns,
} from './squad';
