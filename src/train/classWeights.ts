// Class weights for imbalanced data: sklearn.utils.class_weight.compute_class_weight('balanced'),
// i.e. n_samples / (n_classes * count_c), or weights the user gives per class.

export type ClassWeightSpec = 'none' | 'balanced' | number[];

/** Counts of each label id in [0, numClasses). */
export function classCounts(labels: ArrayLike<number>, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= numClasses)
      throw new Error(`label ${y} at row ${i} is outside [0, ${numClasses})`);
    counts[y]! += 1;
  }
  return counts;
}

/** sklearn 'balanced': n_samples / (n_classes * bincount(y)). Fails, as sklearn does, on a class with no samples. */
export function balancedClassWeights(labels: ArrayLike<number>, numClasses: number): number[] {
  const counts = classCounts(labels, numClasses);
  const missing = counts.findIndex((c) => c === 0);
  if (missing >= 0)
    throw new Error(
      `class ${missing} has no training examples, so 'balanced' class weights are undefined; remove the class or give weights explicitly`,
    );
  return counts.map((c) => labels.length / (numClasses * c));
}

/** Resolves a spec to one weight per class, or null for unweighted loss. */
export function resolveClassWeights(
  spec: ClassWeightSpec,
  labels: ArrayLike<number>,
  numClasses: number,
): number[] | null {
  if (spec === 'none') return null;
  if (spec === 'balanced') return balancedClassWeights(labels, numClasses);
  if (spec.length !== numClasses) throw new Error(`got ${spec.length} class weights for ${numClasses} classes`);
  if (spec.some((w) => !Number.isFinite(w) || w < 0) || spec.every((w) => w === 0))
    throw new Error('class weights must be finite, non-negative and not all zero');
  return [...spec];
}
