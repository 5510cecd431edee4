/**
 * The worker thread's entry: answers suggestion requests from its runner
 * (suggest-runner.ts) with suggestSites, one at a time, keeping the last
 * network it was sent (and a search scratch for its graph) so that only the
 * per-request data crosses for later requests on the same graph. Its state
 * lives in this thread alone.
 */
import { parentPort } from 'node:worker_threads';
import { SearchScratch } from '../../routing/search/search-state.ts';
import { suggestSites, type SuggestNetwork } from './suggest-sites.ts';
import { toWire, type SuggestReplyMessage, type SuggestRequestMessage } from './worker-protocol.ts';

function serve(port: NonNullable<typeof parentPort>): void {
  let network: SuggestNetwork | null = null;
  let networkId = -1;
  let scratch: SearchScratch | undefined;
  // Requests are handled strictly in order, even though suggestSites awaits (HiGHS loads asynchronously).
  let queue = Promise.resolve();
  port.on('message', (message: SuggestRequestMessage) => {
    queue = queue.then(async () => {
      let reply: SuggestReplyMessage;
      try {
        if (message.network) {
          network = message.network;
          networkId = message.networkId;
          scratch = new SearchScratch(network.graph);
        }
        if (!network || networkId !== message.networkId) throw new Error(`the worker holds network ${networkId}, not ${message.networkId}`);
        const result = await suggestSites({ network, centers: message.centers, currentSeconds: message.currentSeconds, options: message.options }, scratch);
        reply = { id: message.id, ok: true, result };
      } catch (error) {
        reply = { id: message.id, ok: false, error: toWire(error) };
      }
      port.postMessage(reply);
    });
  });
}

if (!parentPort) throw new Error('suggest-worker.ts runs as a worker thread (suggest-runner.ts starts it)');
serve(parentPort);
