// Child-process entry for csvFuzz.test.ts: runs the fuzz cases it is sent and reports progress,
// so the parent can kill it and name the case if one never returns.
import { runFuzz, type FuzzSample } from './fuzz';

interface Job {
  samples: FuzzSample[];
  seed: number;
  count: number;
}

process.once('message', (job: Job) => {
  const send = (m: unknown): void => void process.send?.(m);
  runFuzz(job.samples, job.seed, job.count, (i) => {
    send({ type: 'progress', index: i });
  })
    .then((summary) => send({ type: 'done', summary }))
    .catch((e: unknown) => send({ type: 'crash', error: String(e) }))
    .finally(() => process.disconnect());
});
