/**
 * Preloaded (`node --import`) into the server that the load benchmark starts
 * as a child process: answers a `memory` message on the IPC channel with
 * process.memoryUsage() after a full collection (with --expose-gc), so start
 * and end compare live memory rather than where the collector happened to
 * be. Ends the server when the benchmark goes away. server/main.ts is run
 * unchanged.
 *
 * It also counts the WebAssembly memories made in the process (PGlite's
 * PostgreSQL runs in one): their size is RSS that V8's figures do not show,
 * and it only grows (a WebAssembly memory is never given back).
 */
const wasmMemories: WebAssembly.Memory[] = [];
const NativeMemory = WebAssembly.Memory;
// PGlite makes its memory with `new WebAssembly.Memory(...)` at start-up, after this preload runs.
(WebAssembly as { Memory: typeof WebAssembly.Memory }).Memory = new Proxy(NativeMemory, {
  construct(target, args: [WebAssembly.MemoryDescriptor]) {
    const memory = new target(...args);
    wasmMemories.push(memory);
    return memory;
  },
});
const wasmBytes = () => wasmMemories.reduce((sum, m) => sum + m.buffer.byteLength, 0);

process.on('message', (message) => {
  if (message !== 'memory') return;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  // A second collection after a pause: V8 gives back the pages the first one freed (its new space grown
  // under load, old-space pages emptied) only after it; without it the end reading counted reserved heap.
  setTimeout(() => {
    gc?.();
    process.send?.({ memory: { ...process.memoryUsage(), wasm: wasmBytes() } });
  }, 500);
});
// The IPC channel must not keep a stopping server alive, and an orphaned server must not outlive the benchmark.
process.channel?.unref();
process.on('disconnect', () => process.exit(0));
