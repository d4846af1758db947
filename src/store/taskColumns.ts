// Which columns each task reads, and whether the Data step has mapped them all; pure so the step
// rules, training and the column selects agree.
import type { TaskColumns, TaskKind } from '../train/protocol';
import type { ColumnMapping } from './datasetSlice';

/** Mapping keys a task needs (required) or can use (optional). */
export function taskColumnKeys(task: TaskKind): {
  required: (keyof ColumnMapping)[];
  optional: (keyof ColumnMapping)[];
} {
  switch (task) {
    case 'token-cls':
      return { required: ['tokens', 'tags'], optional: [] };
    case 'qa':
      return { required: ['context', 'question', 'answer'], optional: ['answerStart'] };
    case 'embed':
      return { required: ['text'], optional: ['label'] };
    case 'pair-cls':
      return { required: ['text', 'textPair', 'label'], optional: [] };
    case 'seq-cls':
    case 'multi-label':
      return { required: ['text', 'label'], optional: [] };
  }
}

export function mappingComplete(task: TaskKind, mapping: ColumnMapping): boolean {
  return taskColumnKeys(task).required.every((k) => Boolean(mapping[k]));
}

/** The TrainSettings columns of a mapping (null where unmapped; mappings saved before a key existed lack it). */
export function settingsColumns(mapping: ColumnMapping): TaskColumns {
  return {
    tokensColumn: mapping.tokens ?? null,
    tagsColumn: mapping.tags ?? null,
    contextColumn: mapping.context ?? null,
    questionColumn: mapping.question ?? null,
    answerColumn: mapping.answer ?? null,
    answerStartColumn: mapping.answerStart ?? null,
  };
}

/** The mapping a fresh dataset starts with, from the worker's guesses. */
export function guessedMapping(
  guess: { text: string | null; textPair: string | null; label: string | null },
  taskGuess: TaskColumns | undefined,
): ColumnMapping {
  return {
    text: guess.text,
    textPair: guess.textPair,
    label: guess.label,
    tokens: taskGuess?.tokensColumn ?? null,
    tags: taskGuess?.tagsColumn ?? null,
    context: taskGuess?.contextColumn ?? null,
    question: taskGuess?.questionColumn ?? null,
    answer: taskGuess?.answerColumn ?? null,
    answerStart: taskGuess?.answerStartColumn ?? null,
  };
}

/** The task a freshly loaded file suggests (null: keep the user's choice). */
export function suggestedTask(format: string, taskGuess: TaskColumns | undefined): TaskKind | null {
  if (format === 'conll') return 'token-cls';
  if (format === 'squad-json') return 'qa';
  if (taskGuess?.contextColumn && taskGuess.questionColumn && taskGuess.answerColumn) return 'qa';
  return null;
}
