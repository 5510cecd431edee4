// The site-suggestion worker's first module (suggest-runner.ts starts it):
// Node 20 applies no `--import` loader hooks to a worker's own entry, so this
// plain module registers tsx in the worker thread itself and then loads the
// TypeScript entry named in workerData. Works alike under `npm start` (tsx),
// under vitest, and under plain node.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
