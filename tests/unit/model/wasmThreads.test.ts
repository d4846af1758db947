// planWasmThreads (src/model/backend.ts): when threaded WASM is used and the reason the badge shows.
import { describe, expect, it } from 'vitest';

import { planWasmThreads } from '../../../src/model/backend';

describe('planWasmThreads', () => {
  it.each([
    // [requested, isolated, cores, threads, pool, why contains]
    [undefined, true, 1, false, null, '1 core: nothing to share the work with'],
    // tfjs alone would give 1 thread on 2-3 cores: the studio asks for 2.
    [undefined, true, 2, true, 2, '2 cores'],
    [undefined, true, 3, true, 2, '3 cores'],
    [undefined, true, 4, true, null, '4 cores'],
    [undefined, true, 16, true, null, '16 cores'],
    [true, true, 2, true, 2, 'threads=1 in the URL'],
    [true, true, 3, true, 2, 'threads=1 in the URL'],
    [true, true, 1, true, null, 'threads=1 in the URL'],
    [true, true, 8, true, null, 'threads=1 in the URL'],
    [false, true, 2, false, null, 'threads=0 in the URL'],
    [false, true, 16, false, null, 'threads=0 in the URL'],
    [true, false, 16, false, null, 'threads=1 was requested but the page is not cross-origin isolated'],
    [undefined, false, 16, false, null, 'not cross-origin isolated'],
  ] as const)(
    'requested %s, isolated %s, %i cores -> threads %s, pool %s',
    (requested, isolated, cores, threads, pool, why) => {
      const plan = planWasmThreads(requested, isolated, cores);
      expect(plan.threads).toBe(threads);
      expect(plan.pool).toBe(pool);
      expect(plan.why).toContain(why);
    },
  );
});
