/**
 * Preloaded (`node --import`) into the server that the load benchmark starts
 * as a child process: answers a `memory` message on the IPC channel with
 * process.memoryUsage() after a full collection (with --expose-gc), so start
 * and end compare live memory rather than where the collector happened to
 * be. Ends the server when the benchmark goes away. server/main.ts is run
 * unchanged.
 */
process.on('message', (message) => {
  if (message !== 'memory') return;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  // A second collection after a pause: V8 gives back the pages the first one freed (its new space grown
  // under load, old-space pages emptied) only after it; without it the end reading counted reserved heap.
  setTimeout(() => {
    gc?.();
    process.send?.({ memory: process.memoryUsage() });
  }, 500);
});
// The IPC channel must not keep a stopping server alive, and an orphaned server must not outlive the benchmark.
process.channel?.unref();
process.on('disconnect', () => process.exit(0));
