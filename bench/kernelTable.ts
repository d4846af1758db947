// tf.profile's kernel list summed by a key (kernel name, or name + input shapes), largest first:
// shared by the Node (profileStep.ts) and Chromium (profileBrowser.ts) step profiles.
import type * as tf from '@tensorflow/tfjs';

type Kernel = Awaited<ReturnType<typeof tf.profile>>['kernels'][number];

export const byName = (k: Kernel): string => k.name;
export const byNameAndShapes = (k: Kernel): string => `${k.name} ${JSON.stringify(k.inputShapes)}`;

/**
 * One line per key: total ms, calls, key. customGrad wrappers ("unnamed scope", "*__op") hold
 * their inner kernels' time again, so they are left out of the sums.
 */
export function kernelTable(kernels: readonly Kernel[], key: (k: Kernel) => string, top: number): string[] {
  const agg = new Map<string, { ms: number; n: number }>();
  let total = 0;
  for (const k of kernels) {
    if (k.name === 'unnamed scope' || k.name.endsWith('__op')) continue;
    const a = agg.get(key(k)) ?? { ms: 0, n: 0 };
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    a.ms += ms;
    a.n += 1;
    total += ms;
    agg.set(key(k), a);
  }
  const rows = [...agg].sort((x, y) => y[1].ms - x[1].ms).slice(0, top);
  return [
    `${total.toFixed(1).padStart(8)} ms total`,
    ...rows.map(([n, a]) => `${a.ms.toFixed(1).padStart(8)} ms ${String(a.n).padStart(4)}x  ${n}`),
  ];
}
