// planWasmThreads (src/model/backend.ts): when threaded WASM is used and the reason the badge shows.
import { describe, expect, it } from 'vitest';

import { planWasmThreads } from '../../../src/model/backend';

describe('planWasmThreads', () => {
  it.each([
    // [requested, isolated, cores, threads, why contains]
    [undefined, true, 2, false, '2 cores: tfjs would run 1 thread'],
    [undefined, true, 3, false, '3 cores'],
    [undefined, true, 4, true, '4 cores'],
    [undefined, true, 16, true, '16 cores'],
    [true, true, 2, true, 'threads=1 in the URL'],
    [false, true, 16, false, 'threads=0 in the URL'],
    [true, false, 16, false, 'threads=1 was requested but the page is not cross-origin isolated'],
    [undefined, false, 16, false, 'not cross-origin isolated'],
  ] as const)('requested %s, isolated %s, %i cores -> threads %s', (requested, isolated, cores, threads, why) => {
    const plan = planWasmThreads(requested, isolated, cores);
    expect(plan.threads).toBe(threads);
    expect(plan.why).toContain(why);
  });
});
