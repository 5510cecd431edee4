/**
 * The xlsx worker thread's entry: renders each table it is sent with
 * xlsxBytes and sends the bytes back (transferred, not copied), strictly in
 * order. exceljs is loaded here, on the first table, so neither its import
 * (about a second) nor the rendering (about 0.2 ms a cell) holds up the
 * request thread. xlsx-runner.ts starts it.
 */
import { parentPort } from 'node:worker_threads';
import type { XlsxReply, XlsxRequest } from './xlsx-runner.ts';
import { xlsxBytes } from './xlsx-writer.ts';

function serve(port: NonNullable<typeof parentPort>): void {
  let queue = Promise.resolve();
  port.on('message', (message: XlsxRequest) => {
    queue = queue.then(async () => {
      try {
        const bytes = await xlsxBytes(message.table, message.info);
        port.postMessage({ id: message.id, bytes } satisfies XlsxReply, [bytes.buffer as ArrayBuffer]);
      } catch (error) {
        port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) } satisfies XlsxReply);
      }
    });
  });
}

if (!parentPort) throw new Error('xlsx-worker.ts runs as a worker thread (xlsx-runner.ts starts it)');
serve(parentPort);
