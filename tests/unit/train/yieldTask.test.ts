// yieldToEventLoop (src/lib/yieldTask.ts): a real task boundary for the training loops, without
// setTimeout's nested-timer clamp.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { yieldToEventLoop } from '../../../src/lib/yieldTask';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

async function checkYields(): Promise<void> {
  const order: string[] = [];
  void Promise.resolve().then(() => order.push('microtask'));
  const ys = [1, 2, 3].map((i) => yieldToEventLoop().then(() => order.push(`yield ${i}`)));
  await Promise.all(ys);
  // A task, not a microtask: everything already queued as a microtask runs first; yields keep order.
  expect(order).toEqual(['microtask', 'yield 1', 'yield 2', 'yield 3']);
}

describe('yieldToEventLoop', () => {
  // With setTimeout faked (never fires unless advanced), a yield that used it would hang.
  it('does not wait on setTimeout (Node: setImmediate)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    await checkYields();
  });

  it('uses a MessageChannel where there is no setImmediate (browsers, workers)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    vi.stubGlobal('setImmediate', undefined);
    await checkYields();
  });
});
