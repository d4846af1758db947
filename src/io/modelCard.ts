// README.md model card for an exported model, following the Hugging Face model card layout
// (huggingface_hub's modelcard_template.md: YAML metadata block, then description, training
// data, training procedure / hyperparameters, evaluation results).
import type { HeadKind } from '../model';

export const PIPELINE_TAGS: Record<HeadKind, string> = {
  'seq-cls': 'text-classification',
  'token-cls': 'token-classification',
  qa: 'question-answering',
  mlm: 'fill-mask',
  base: 'feature-extraction',
  embed: 'sentence-similarity',
};

const TASK_NAMES: Record<HeadKind, string> = {
  'seq-cls': 'text classification',
  'token-cls': 'token classification',
  qa: 'extractive question answering',
  mlm: 'masked language modelling',
  base: 'feature extraction',
  embed: 'sentence embeddings',
};

export interface ModelCardInput {
  modelName: string;
  baseModel: string | null;
  task: HeadKind;
  problemType: string | null;
  labels: string[];
  metrics: Record<string, number>;
  hyperparameters: Record<string, unknown>;
  freezing: string | null;
  dataset: { name: string; rows: number } | null;
  studioVersion: string;
  date: Date;
  numParameters: number;
}

// YAML scalars: quote anything that is not a plain word, escaping as JSON does (valid YAML).
const yaml = (s: string): string => (/^[A-Za-z0-9_./-]+$/.test(s) ? s : JSON.stringify(s));
// Markdown table cells: pipes and newlines would break the row.
const cell = (v: unknown): string =>
  (typeof v === 'string' ? v : JSON.stringify(v)).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const fmtMetric = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(4));

function table(head: [string, string], rows: [string, string][]): string[] {
  return [`| ${head[0]} | ${head[1]} |`, '|---|---|', ...rows.map(([a, b]) => `| ${cell(a)} | ${cell(b)} |`)];
}

function frontMatter(c: ModelCardInput): string[] {
  const lines = ['---', 'library_name: transformers', `pipeline_tag: ${PIPELINE_TAGS[c.task]}`];
  if (c.baseModel) lines.push(`base_model: ${yaml(c.baseModel)}`);
  lines.push('tags:', '  - bert', `  - ${PIPELINE_TAGS[c.task]}`, '  - bert-studio', '  - tfjs');
  const metricNames = Object.keys(c.metrics);
  if (metricNames.length) lines.push('metrics:', ...metricNames.map((m) => `  - ${yaml(m)}`));
  lines.push('---');
  return lines;
}

export function buildModelCard(c: ModelCardInput): string {
  const date = c.date.toISOString().slice(0, 10);
  const base = c.baseModel ? `[${c.baseModel}](https://huggingface.co/${c.baseModel})` : 'randomly initialised weights';
  const data = c.dataset
    ? `**${c.dataset.name}** (${c.dataset.rows.toLocaleString('en-US')} rows)`
    : 'a user-provided dataset';
  const out: string[] = [...frontMatter(c), '', `# ${c.modelName}`, ''];
  out.push(
    `A BERT model fine-tuned for **${TASK_NAMES[c.task]}** from ${base} on ${data}, ` +
      `trained in the browser with BERT Studio ${c.studioVersion} (TensorFlow.js) on ${date}. ` +
      `${(c.numParameters / 1e6).toFixed(1)}M parameters.`,
    '',
    '## Task',
    '',
    ...table(
      ['', ''],
      [
        ['task', TASK_NAMES[c.task]],
        ['pipeline', PIPELINE_TAGS[c.task]],
        ...(c.problemType ? ([['problem_type', c.problemType]] as [string, string][]) : []),
        ['base model', c.baseModel ?? '(none)'],
        ['dataset', c.dataset ? `${c.dataset.name} (${c.dataset.rows} rows)` : '(not recorded)'],
      ],
    ),
    '',
  );
  if (c.labels.length)
    out.push(
      '## Labels',
      '',
      ...table(
        ['id', 'label'],
        c.labels.map((l, i) => [String(i), l]),
      ),
      '',
    );
  out.push('## Training hyperparameters', '');
  const hp = Object.entries(c.hyperparameters);
  out.push(
    ...(hp.length
      ? table(
          ['hyperparameter', 'value'],
          hp.map(([k, v]) => [k, cell(v)]),
        )
      : ['(not recorded)']),
    '',
  );
  out.push('## Freezing strategy', '', c.freezing ?? 'All layers were trained (no freezing).', '');
  out.push('## Validation metrics', '');
  const m = Object.entries(c.metrics);
  out.push(
    ...(m.length
      ? table(
          ['metric', 'value'],
          m.map(([k, v]) => [k, fmtMetric(v)]),
        )
      : ['(no validation run)']),
    '',
  );
  out.push(
    '## Usage',
    '',
    '```python',
    'from transformers import pipeline',
    `pipe = pipeline("${PIPELINE_TAGS[c.task]}", model="path/to/this/folder")`,
    '```',
    '',
    '`tfjs/model.json` holds the same weights for TensorFlow.js (Hugging Face names and shapes; Linear weights are [out, in]).',
    '',
    `Exported by BERT Studio ${c.studioVersion} on ${date}.`,
    '',
  );
  return out.join('\n');
}
