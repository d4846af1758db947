/**
 * At most about `max` points of a growing series for drawing: every k-th point (k a power of two,
 * so the kept points stay the same as the series grows, and the curve does not shimmer between
 * redraws) plus the newest one. recharts' cost grows with the points it draws, and a long run
 * logs thousands of steps (3 epochs of SST-2 at batch 32: 6,300).
 */
export function downsample<T>(points: readonly T[], max: number): T[] {
  const n = points.length;
  if (n <= max) return points.slice();
  let k = 1;
  while (n / k > max - 1) k *= 2;
  const out: T[] = [];
  for (let i = 0; i < n; i += k) out.push(points[i]!);
  if ((n - 1) % k !== 0) out.push(points[n - 1]!);
  return out;
}
