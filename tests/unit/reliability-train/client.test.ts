// TrainerClient's fault detection with a scripted worker and a fake clock: heartbeats keep a
// training worker alive, silence past the limit (or 4x the longest gap seen) reports it lost once,
// a worker that dies reports 'crashed', and restart() swaps in a fresh worker keeping listeners.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TrainerClient, type WorkerLike } from '../../../src/train/client';
import type { FromWorker, TrainSettings } from '../../../src/train/protocol';
import { SETTINGS } from './helpers';

interface FakeWorker extends WorkerLike {
  posted: unknown[];
  terminated: boolean;
}

function fakeWorker(): FakeWorker {
  const w: FakeWorker = {
    posted: [],
    terminated: false,
    onmessage: null,
    onerror: null,
    postMessage: (m: unknown) => void w.posted.push(m),
    terminate: () => void (w.terminated = true),
  };
  return w;
}

let clock = 0;
const workers: FakeWorker[] = [];
const got: FromWorker[] = [];

function client(silenceMs = 10_000): TrainerClient {
  const c = new TrainerClient({
    silenceMs,
    now: () => clock,
    makeWorker: () => {
      const w = fakeWorker();
      workers.push(w);
      return w;
    },
  });
  c.on((m) => void got.push(m));
  return c;
}

const say = (w: FakeWorker, data: FromWorker) => w.onmessage?.call(w as unknown as Worker, { data } as MessageEvent);
/** Advances the fake clock and the watchdog's 1 s timer together, `beat`ing every 2 s when asked. */
function pass(ms: number, beat?: FakeWorker): void {
  for (let t = 0; t < ms; t += 1000) {
    clock += 1000;
    if (beat && clock % 2000 === 0) say(beat, { type: 'heartbeat' });
    vi.advanceTimersByTime(1000);
  }
}
const lost = () => got.filter((m) => m.type === 'workerLost');
const train = (settings: TrainSettings = SETTINGS) => ({ type: 'train' as const, settings, runId: 'r1' });

beforeEach(() => {
  vi.useFakeTimers();
  clock = 0;
  workers.length = 0;
  got.length = 0;
});
afterEach(() => vi.useRealTimers());

describe('TrainerClient faults', () => {
  it('keeps a beating worker, reports a silent one once, and forwards no heartbeats', () => {
    const c = client();
    c.send(train());
    pass(60_000, workers[0]);
    expect(lost()).toEqual([]);
    expect(got).toEqual([]);
    pass(10_000);
    expect(lost()).toEqual([]); // exactly at the limit
    pass(2_000);
    expect(lost()).toEqual([
      {
        type: 'workerLost',
        reason: 'unresponsive',
        message: 'the trainer worker stopped answering during training (silent for 11 s)',
      },
    ]);
    pass(60_000);
    expect(lost()).toHaveLength(1);
  });

  it('stretches the limit to 4x the longest gap seen (a slow step is not a death)', () => {
    const c = client();
    c.send(train());
    pass(8_000);
    say(workers[0]!, { type: 'heartbeat' }); // one 8 s step: the limit becomes 32 s
    pass(30_000);
    expect(lost()).toEqual([]);
    pass(4_000);
    expect(lost()).toHaveLength(1);
  });

  it('stops watching when training ends', () => {
    const c = client();
    c.send(train());
    say(workers[0]!, { type: 'done', stopped: false, bestEpoch: 1, report: null, misclassified: [], labels: [] });
    pass(120_000);
    expect(lost()).toEqual([]);
    c.send(train());
    say(workers[0]!, { type: 'error', message: 'diverged', during: 'train' });
    pass(120_000);
    expect(lost()).toEqual([]);
  });

  it('reports a dead worker as crashed, a script error as an error, and restarts with listeners kept', () => {
    const c = client();
    const first = workers[0]!;
    let prevented = 0;
    const errorEvent = (message: string) => ({ message, preventDefault: () => void prevented++ }) as ErrorEvent;
    first.onerror?.call(first as unknown as Worker, errorEvent('Uncaught TypeError: x is undefined'));
    expect(got).toEqual([{ type: 'error', message: 'Uncaught TypeError: x is undefined' }]);
    first.onerror?.call(first as unknown as Worker, errorEvent(''));
    expect(got.at(-1)).toEqual({ type: 'workerLost', reason: 'crashed', message: 'the trainer worker crashed' });
    expect(prevented).toBe(2);

    c.restart();
    expect(first.terminated).toBe(true);
    const second = workers[1]!;
    say(first, { type: 'paused' }); // a late message from the old worker is dropped
    say(second, { type: 'paused' });
    expect(got.filter((m) => m.type === 'paused')).toHaveLength(1);
    c.send({ type: 'listCheckpoints' });
    expect(second.posted).toEqual([{ type: 'listCheckpoints' }]);
  });
});
