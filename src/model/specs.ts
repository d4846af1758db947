// The parameter list of each BERT head, with Hugging Face state-dict names and [out, in] shapes
// exactly as HF `modeling_bert.py` creates them (BertModel / BertFor* module trees).
import type { BertConfig } from './config';

export type HeadKind = 'base' | 'seq-cls' | 'token-cls' | 'qa' | 'mlm' | 'embed';
export const HEAD_KINDS: readonly HeadKind[] = ['base', 'seq-cls', 'token-cls', 'qa', 'mlm', 'embed'];

/** How a parameter is freshly initialised, following HF BertPreTrainedModel._init_weights. */
export type InitKind = 'normal' | 'embedding' | 'zeros' | 'ones';
export type ParamGroup = 'encoder' | 'pooler' | 'head';

export interface ParamSpec {
  name: string;
  shape: number[]; // HF layout
  init: InitKind;
  group: ParamGroup;
}

/** HF architecture name per head, for config.json `architectures`. */
export const ARCHITECTURES: Record<HeadKind, string> = {
  base: 'BertModel',
  'seq-cls': 'BertForSequenceClassification',
  'token-cls': 'BertForTokenClassification',
  qa: 'BertForQuestionAnswering',
  mlm: 'BertForMaskedLM',
  embed: 'BertModel',
};

/** Heads whose HF class builds a pooler (`add_pooling_layer=True`). */
export function usesPooler(head: HeadKind): boolean {
  return head === 'base' || head === 'seq-cls' || head === 'embed';
}

/** Heads HF saves without the `bert.` prefix (BertModel.save_pretrained). */
export function isBareModel(head: HeadKind): boolean {
  return head === 'base' || head === 'embed';
}

function linear(group: ParamGroup, prefix: string, out: number, inp: number): ParamSpec[] {
  return [
    { name: `${prefix}.weight`, shape: [out, inp], init: 'normal', group },
    { name: `${prefix}.bias`, shape: [out], init: 'zeros', group },
  ];
}

function layerNorm(group: ParamGroup, prefix: string, h: number): ParamSpec[] {
  return [
    { name: `${prefix}.weight`, shape: [h], init: 'ones', group },
    { name: `${prefix}.bias`, shape: [h], init: 'zeros', group },
  ];
}

export function encoderSpecs(c: BertConfig): ParamSpec[] {
  const h = c.hidden_size;
  const e = 'bert.embeddings';
  const specs: ParamSpec[] = [
    { name: `${e}.word_embeddings.weight`, shape: [c.vocab_size, h], init: 'embedding', group: 'encoder' },
    {
      name: `${e}.position_embeddings.weight`,
      shape: [c.max_position_embeddings, h],
      init: 'normal',
      group: 'encoder',
    },
    { name: `${e}.token_type_embeddings.weight`, shape: [c.type_vocab_size, h], init: 'normal', group: 'encoder' },
    ...layerNorm('encoder', `${e}.LayerNorm`, h),
  ];
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const l = `bert.encoder.layer.${i}`;
    specs.push(
      ...linear('encoder', `${l}.attention.self.query`, h, h),
      ...linear('encoder', `${l}.attention.self.key`, h, h),
      ...linear('encoder', `${l}.attention.self.value`, h, h),
      ...linear('encoder', `${l}.attention.output.dense`, h, h),
      ...layerNorm('encoder', `${l}.attention.output.LayerNorm`, h),
      ...linear('encoder', `${l}.intermediate.dense`, c.intermediate_size, h),
      ...linear('encoder', `${l}.output.dense`, h, c.intermediate_size),
      ...layerNorm('encoder', `${l}.output.LayerNorm`, h),
    );
  }
  return specs;
}

export function poolerSpecs(c: BertConfig): ParamSpec[] {
  return linear('pooler', 'bert.pooler.dense', c.hidden_size, c.hidden_size);
}

export function headSpecs(c: BertConfig, head: HeadKind, numLabels: number): ParamSpec[] {
  const h = c.hidden_size;
  switch (head) {
    case 'seq-cls':
    case 'token-cls':
      return linear('head', 'classifier', numLabels, h);
    case 'qa':
      return linear('head', 'qa_outputs', 2, h);
    case 'mlm':
      return [
        ...linear('head', 'cls.predictions.transform.dense', h, h),
        ...layerNorm('head', 'cls.predictions.transform.LayerNorm', h),
        { name: 'cls.predictions.bias', shape: [c.vocab_size], init: 'zeros', group: 'head' },
      ];
    case 'base':
    case 'embed':
      return [];
  }
}

/** Every parameter a model with this head holds, in HF state-dict order. */
export function modelSpecs(c: BertConfig, head: HeadKind, numLabels: number): ParamSpec[] {
  return [...encoderSpecs(c), ...(usesPooler(head) ? poolerSpecs(c) : []), ...headSpecs(c, head, numLabels)];
}
