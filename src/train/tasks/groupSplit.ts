// Validation split that keeps groups together (all questions on one SQuAD paragraph, say), so the
// validation set never shares a context with training: seeded shuffle of the distinct groups, then
// whole groups go to validation until it holds at least `fraction` of the rows.
import { mulberry32, shuffleInPlace } from '../../lib/rng';

export function groupSplit(
  groups: readonly string[],
  fraction: number,
  seed: number,
): { train: number[]; validation: number[] } {
  if (!(fraction >= 0 && fraction < 1)) throw new Error(`validation fraction must be in [0, 1), got ${fraction}`);
  const rowsOf = new Map<string, number[]>();
  groups.forEach((g, i) => (rowsOf.get(g) ?? rowsOf.set(g, []).get(g)!).push(i));
  const keys = shuffleInPlace([...rowsOf.keys()], mulberry32(seed));
  const want = Math.round(groups.length * fraction);
  const valid = new Set<number>();
  for (const k of keys) {
    if (valid.size >= want) break;
    for (const r of rowsOf.get(k)!) valid.add(r);
  }
  const train: number[] = [];
  const validation: number[] = [];
  groups.forEach((_, i) => (valid.has(i) ? validation : train).push(i));
  return { train, validation };
}
