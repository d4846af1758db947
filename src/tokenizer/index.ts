// Public API of the BERT WordPiece tokenizer (pure TypeScript: no tfjs, no DOM).
export { BertTokenizer, type BertTokenizerConfig, type SpecialTokens } from './bertTokenizer';
export { BasicTokenizer, type BasicOptions, type Word } from './basic';
export { WordPiece, type WordPieceOptions } from './wordpiece';
export { Vocab } from './vocab';
export { cleanUpTokenization, decodeTokens } from './decode';
export { fromTokenizerJson, fromVocabTxt, loadBertTokenizer, type TokenizerFiles } from './loadConfig';
export {
  TruncationError,
  type BatchEncoding,
  type DecodeOptions,
  type EncodeOptions,
  type Encoding,
  type PaddingStrategy,
  type TextInput,
  type TruncationStrategy,
} from './types';
