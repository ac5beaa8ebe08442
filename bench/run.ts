/** `npm run bench`: every benchmark, one line each: `name: value unit (baseline …, ratio …)`. */
import { cpus } from 'node:os';
import { benchCore } from './core.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
process.stdout.write(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${new Date().toISOString()}\n`);
for (const l of await benchCore(seconds)) process.stdout.write(`${l}\n`);
process.exit(0);
