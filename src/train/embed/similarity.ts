// Cosine similarity search over an embedding matrix [N, D] (row-major), as
// sentence-transformers util.semantic_search does with cos_sim + topk, on the host.

export interface Neighbour {
  index: number;
  score: number;
}

/** cos(a, b); 0 when either vector is all zeros (as torch's cosine_similarity with its eps). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`vectors of length ${a.length} and ${b.length}`);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let j = 0; j < a.length; j++) {
    ab += a[j]! * b[j]!;
    aa += a[j]! * a[j]!;
    bb += b[j]! * b[j]!;
  }
  const den = Math.sqrt(aa) * Math.sqrt(bb);
  return den === 0 ? 0 : ab / den;
}

/** Row `i` of a row-major [N, D] matrix (a view, no copy when possible). */
export function row(vectors: ArrayLike<number>, dim: number, i: number): ArrayLike<number> {
  if (vectors instanceof Float32Array || vectors instanceof Float64Array)
    return vectors.subarray(i * dim, (i + 1) * dim);
  return Array.from({ length: dim }, (_, j) => vectors[i * dim + j]!);
}

/**
 * The k rows most cosine-similar to `query`, best first (ties: lower index first). `exclude`
 * drops one row, e.g. the query's own row when searching neighbours of a stored vector.
 */
export function topKSimilar(
  vectors: ArrayLike<number>,
  n: number,
  dim: number,
  query: ArrayLike<number>,
  k = 10,
  exclude?: number,
): Neighbour[] {
  if (vectors.length !== n * dim) throw new Error(`${vectors.length} values do not fill a (${n}, ${dim}) matrix`);
  if (query.length !== dim) throw new Error(`query has ${query.length} values, the vectors ${dim}`);
  const scored: Neighbour[] = [];
  for (let i = 0; i < n; i++) {
    if (i === exclude) continue;
    scored.push({ index: i, score: cosineSimilarity(row(vectors, dim, i), query) });
  }
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  return scored.slice(0, Math.max(0, k));
}
