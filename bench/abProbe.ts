// Embedding lookup, host-memory kernel vs tfjs-wasm's GatherV2, alternated in one process (not part
// of `npm run bench`): `npx tsx bench/abProbe.ts`. BERT-Tiny's table at 32x128 ids.
import * as tf from '@tensorflow/tfjs';
import { setHostKernels } from '../src/model/hostMemory';
import { gatherRows } from '../src/model/layers/hostOps';
import { median, useBackend } from './common';

await useBackend('wasm');
const table = tf.randomNormal([30522, 128]);
const ids = tf.randomUniform([32, 128], 0, 30000, 'int32');
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const times: Record<string, number[]> = { host: [], 'tf.gather': [] };
for (let r = 0; r < 10; r++)
  for (const on of [true, false]) {
    setHostKernels(on);
    const c = cpuMs();
    const y = gatherRows(table, ids);
    y.dataSync();
    y.dispose();
    times[on ? 'host' : 'tf.gather']!.push(cpuMs() - c);
  }
setHostKernels(true);
for (const [k, v] of Object.entries(times)) console.log(`${k.padEnd(10)} median ${median(v).toFixed(1)} cpu-ms`);
