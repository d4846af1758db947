// Train / validation / test parts for token classification and QA, honouring the same split
// settings as classification (splits.ts): a seeded random share (QA keeps every question on one
// context, hence all its windows, in one part, as groupSplit does), a split column, or separate
// validation and test files.
import {
  stratifiedSplit,
  tagList,
  type ParsedTable,
  type QaExample,
  type SplitResult,
  type TaggedSentence,
} from '../../data';
import type { TrainSettings } from '../protocol';
import { groupSplit } from '../tasks/groupSplit';
import { columnParts, subTable, testFraction, validationFile, type ExtraTables } from './splitParts';

export interface TaskParts<T> {
  train: T[];
  validation: T[];
  test: T[];
}

export interface TaskSplitInput extends ExtraTables {
  /** The training table after dropped rows. */
  table: ParsedTable;
  /** File row of table row i (rows were dropped), or null when they are the same. */
  kept: number[] | null;
}

/** The split input for the loaded table after `dropped` rows (1-based file rows) left out. */
export function taskSplitInput(
  state: ExtraTables & { table: ParsedTable | null },
  table: ParsedTable,
  dropped: readonly number[],
): TaskSplitInput {
  const total = state.table?.rows.length ?? table.rows.length;
  const d = new Set(dropped);
  const kept = d.size ? Array.from({ length: total }, (_, i) => i + 1).filter((r) => !d.has(r)) : null;
  return { table, kept, validTable: state.validTable, testTable: state.testTable ?? null };
}

/** Reads a table's items; a separate file's read errors say which file it was. */
function readFile<T>(table: ParsedTable, what: string, read: (t: ParsedTable) => T[]): T[] {
  try {
    return read(table);
  } catch (e) {
    throw new Error(`the ${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * The parts `s.validationSplit` asks for. Under a split column each part is read from its own
 * rows (readers may skip rows, so items cannot be mapped back to rows); the whole table is read
 * first so a bad row is named by its row in the file. `random` cuts the whole table's items.
 */
export function taskParts<T>(
  input: TaskSplitInput,
  s: TrainSettings,
  read: (t: ParsedTable) => T[],
  random: (items: T[]) => SplitResult,
): TaskParts<T> {
  switch (s.validationSplit ?? 'fraction') {
    case 'column': {
      const parts = columnParts(input.table, s, input.kept);
      read(input.table);
      const of = (rows: number[]) => (rows.length ? read(subTable(input.table, rows)) : []);
      return { train: of(parts.train), validation: of(parts.validation), test: of(parts.test) };
    }
    case 'file':
      return {
        train: read(input.table),
        validation: readFile(validationFile(input), 'validation file', read),
        test: input.testTable ? readFile(input.testTable, 'test file', read) : [],
      };
    case 'fraction': {
      const items = read(input.table);
      const split = random(items);
      const of = (rows: number[]) => rows.map((i) => items[i]!);
      return { train: of(split.train), validation: of(split.validation), test: of(split.test) };
    }
  }
}

/** Token classification's random split: a seeded share of the sentences (no strata). */
export function sentenceSplit(s: TrainSettings): (items: TaggedSentence[]) => SplitResult {
  return (items) =>
    stratifiedSplit(
      items.map(() => ''),
      { validation: s.validFraction, test: testFraction(s), seed: s.seed },
    );
}

/**
 * QA's random split by context: validation exactly as groupSplit always chose it, then the test
 * share from the remaining contexts (so a test share never changes which rows validate).
 */
export function contextSplit(s: TrainSettings): (items: QaExample[]) => SplitResult {
  return (items) => {
    const groups = items.map((e) => e.context);
    const v = groupSplit(groups, s.validFraction, s.seed);
    const ft = testFraction(s);
    if (ft === 0) return { ...v, test: [] };
    const rest = v.train;
    const t = groupSplit(
      rest.map((i) => groups[i]!),
      ft / (1 - s.validFraction),
      s.seed + 1,
    );
    return { train: t.train.map((i) => rest[i]!), validation: v.validation, test: t.validation.map((i) => rest[i]!) };
  };
}

/**
 * Tag names: every tag of every part, so a run still trains when a rare entity type only turns up
 * in validation or test rows (common in small NER sets); `unseen` then names those tags, for a
 * warning: the model cannot learn them and they score zero.
 */
export function taskTags(parts: TaskParts<TaggedSentence>): { labels: string[]; unseen: string | null } {
  const known = new Set(tagList(parts.train));
  const notes: string[] = [];
  for (const what of ['validation', 'test'] as const) {
    const tags = tagList(parts[what]).filter((t) => !known.has(t));
    if (tags.length) notes.push(`${tags.slice(0, 10).join(', ')} (${what} rows)`);
  }
  const labels = tagList([...parts.train, ...parts.validation, ...parts.test]);
  const unseen = notes.length
    ? `no training row has the tag(s) ${notes.join('; ')}: the model cannot learn them, so they score zero`
    : null;
  return { labels, unseen };
}
