/** `npm run bench`: every benchmark, one line each: `name: value unit (baseline …, ratio …)`. */
import { cpus } from 'node:os';
import { benchCore, benchLatencyOnly, benchThroughputOnly } from './core.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
process.stdout.write(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${new Date().toISOString()}\n`);
const only = process.env.BENCH_ONLY;
const lines = only === 'throughput' ? await benchThroughputOnly(seconds) : only === 'latency' ? await benchLatencyOnly(seconds) : await benchCore(seconds);
for (const l of lines) process.stdout.write(`${l}\n`);
process.exit(0);
