// Pretrained checkpoints offered in the Model step (Hugging Face hub ids), smallest first.
import type { TaskKind } from '../train/protocol';

export interface CatalogEntry {
  id: string;
  name: string;
  note: string;
}

export const MODEL_CATALOG: readonly CatalogEntry[] = [
  { id: 'google/bert_uncased_L-2_H-128_A-2', name: 'BERT-Tiny', note: '2 layers, 4.4M parameters: seconds per epoch' },
  { id: 'google/bert_uncased_L-4_H-256_A-4', name: 'BERT-Mini', note: '4 layers, 11M parameters' },
  { id: 'google/bert_uncased_L-4_H-512_A-8', name: 'BERT-Small', note: '4 layers, 29M parameters' },
  { id: 'google/bert_uncased_L-8_H-512_A-8', name: 'BERT-Medium', note: '8 layers, 41M parameters' },
  { id: 'distilbert-base-uncased', name: 'DistilBERT base (uncased)', note: '6 layers, 66M parameters' },
  { id: 'bert-base-uncased', name: 'BERT base (uncased)', note: '12 layers, 110M parameters: needs a GPU' },
  { id: 'bert-base-cased', name: 'BERT base (cased)', note: '12 layers, 108M parameters: needs a GPU' },
  { id: 'bert-base-multilingual-cased', name: 'mBERT (cased)', note: '104 languages, 178M parameters' },
];

export const TASKS: readonly { value: TaskKind; label: string; help: string }[] = [
  { value: 'seq-cls', label: 'Single-label classification', help: 'One label per text (spam / ham, sentiment).' },
  {
    value: 'multi-label',
    label: 'Multi-label classification',
    help: 'Several labels per text, separated in the label column.',
  },
  { value: 'pair-cls', label: 'Sentence pair', help: 'Two texts and a label (entailment, paraphrase).' },
  { value: 'token-cls', label: 'Token classification', help: 'A BIO tag per word (named entities).' },
  { value: 'qa', label: 'Question answering', help: 'Find the answer span in a context.' },
  { value: 'embed', label: 'Sentence embeddings', help: 'Mean-pooled vectors for similarity search.' },
];

export const CUSTOM_MODEL = '__custom';
