// Entity-level NER metrics exactly as `seqeval` 1.2 computes them in its default (conlleval-like,
// non-strict) mode: seqeval/metrics/sequence_labeling.py get_entities / end_of_chunk /
// start_of_chunk, extract_tp_actual_correct and precision_recall_fscore_support (zero_division 0),
// plus accuracy_score over the flattened tags. What HF `evaluate.load("seqeval")` reports.

/** A chunk as seqeval returns it: type and inclusive [start, end] positions in the flattened tags. */
export interface Entity {
  type: string;
  start: number;
  end: number;
}

export interface EntityScores {
  precision: number;
  recall: number;
  f1: number;
  /** Number of true entities (seqeval's "support", HF's "number"). */
  support: number;
}

export interface NerScores {
  /** Per entity type, types sorted as seqeval sorts them. */
  perType: Record<string, EntityScores>;
  micro: EntityScores;
  macro: EntityScores;
  weighted: EntityScores;
  /** Token (word) accuracy over every tag, seqeval accuracy_score. */
  accuracy: number;
  /** Predicted entities (all types). */
  predicted: number;
}

function splitTag(chunk: string): [string, string] {
  // seqeval: tag = chunk[0]; type_ = chunk[1:].split('-', maxsplit=1)[-1] or '_'
  const tag = chunk.slice(0, 1);
  const rest = chunk.slice(1);
  const dash = rest.indexOf('-');
  const type = dash < 0 ? rest : rest.slice(dash + 1);
  return [tag, type === '' ? '_' : type];
}

function endOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (prevTag === 'E' || prevTag === 'S') return true;
  if ((prevTag === 'B' || prevTag === 'I') && (tag === 'B' || tag === 'S' || tag === 'O')) return true;
  return prevTag !== 'O' && prevTag !== '.' && prevType !== type;
}

function startOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (tag === 'B' || tag === 'S') return true;
  if ((prevTag === 'E' || prevTag === 'S' || prevTag === 'O') && (tag === 'E' || tag === 'I')) return true;
  return tag !== 'O' && tag !== '.' && prevType !== type;
}

/**
 * seqeval get_entities(seq) for one tag sequence, or for sentences (flattened with an 'O' after
 * each, as seqeval does for nested lists, so no entity spans two sentences).
 */
export function getEntities(seq: readonly string[] | readonly (readonly string[])[]): Entity[] {
  const flat: string[] = [];
  if (seq.some((s) => Array.isArray(s))) for (const s of seq as readonly (readonly string[])[]) flat.push(...s, 'O');
  else flat.push(...(seq as readonly string[]));
  flat.push('O');
  const out: Entity[] = [];
  let prevTag = 'O';
  let prevType = '';
  let begin = 0;
  flat.forEach((chunk, i) => {
    const [tag, type] = splitTag(chunk);
    if (endOfChunk(prevTag, tag, prevType, type)) out.push({ type: prevType, start: begin, end: i - 1 });
    if (startOfChunk(prevTag, tag, prevType, type)) begin = i;
    prevTag = tag;
    prevType = type;
  });
  return out;
}

const div = (a: number, b: number): number => (b === 0 ? 0 : a / b);

function scores(tp: number, pred: number, support: number): EntityScores {
  const precision = div(tp, pred);
  const recall = div(tp, support);
  return { precision, recall, f1: div(2 * precision * recall, precision + recall), support };
}

/** Token accuracy, entity precision/recall/F1 per type and averaged; true and predicted sentences align. */
export function seqevalScores(yTrue: readonly string[][], yPred: readonly string[][]): NerScores {
  if (yTrue.length !== yPred.length) throw new Error(`${yTrue.length} true sentences but ${yPred.length} predicted`);
  let correct = 0;
  let total = 0;
  yTrue.forEach((t, i) => {
    const p = yPred[i]!;
    if (p.length !== t.length) throw new Error(`sentence ${i}: ${t.length} true tags but ${p.length} predicted`);
    t.forEach((tag, j) => (correct += tag === p[j] ? 1 : 0));
    total += t.length;
  });
  const byType = (ents: Entity[]): Map<string, Set<string>> => {
    const m = new Map<string, Set<string>>();
    for (const e of ents) {
      const s = m.get(e.type) ?? new Set<string>();
      s.add(`${e.start},${e.end}`);
      m.set(e.type, s);
    }
    return m;
  };
  const trueEnts = byType(getEntities(yTrue));
  const predEnts = byType(getEntities(yPred));
  const types = [...new Set([...trueEnts.keys(), ...predEnts.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const perType: Record<string, EntityScores> = {};
  let [tpSum, predSum, trueSum] = [0, 0, 0];
  for (const type of types) {
    const t = trueEnts.get(type) ?? new Set<string>();
    const p = predEnts.get(type) ?? new Set<string>();
    let tp = 0;
    for (const k of p) if (t.has(k)) tp++;
    perType[type] = scores(tp, p.size, t.size);
    tpSum += tp;
    predSum += p.size;
    trueSum += t.size;
  }
  const rows = Object.values(perType);
  const mean = (f: (s: EntityScores) => number, w: (s: EntityScores) => number): number => {
    const ws = rows.reduce((a, s) => a + w(s), 0);
    return div(
      rows.reduce((a, s) => a + f(s) * w(s), 0),
      ws,
    );
  };
  const avg = (w: (s: EntityScores) => number): EntityScores => ({
    precision: mean((s) => s.precision, w),
    recall: mean((s) => s.recall, w),
    f1: mean((s) => s.f1, w),
    support: trueSum,
  });
  return {
    perType,
    micro: scores(tpSum, predSum, trueSum),
    macro: avg(() => 1),
    weighted: avg((s) => s.support),
    accuracy: div(correct, total),
    predicted: predSum,
  };
}
