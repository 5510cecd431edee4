/**
 * The error answers the routing operations share (isochrones, nearest
 * center, coverage): a point the network cannot take, and a graph or
 * coverage that is not there yet.
 */
import { errorResponse } from '../http/responses.ts';
import { MAX_SNAP_DISTANCE_M } from './search/snap.ts';

/** 422: the point is outside the data or off the walk network. */
export const pointNotOnNetwork = (more = '') =>
  errorResponse(`The point is outside the data's bounds, or more than ${MAX_SNAP_DISTANCE_M} m from any walkable way.${more}`, [
    'outside_data_bounds',
    'off_network',
  ]);

/** 503: the walk graph is not loaded (no data imported yet, or loading failed). */
export const graphNotReady = errorResponse('The walk graph is not loaded (no data imported yet, or loading failed).', ['graph_unavailable', 'no_walk_network']);

/** 503: the walk graph or the coverage is not there. */
export const coverageNotReady = errorResponse('The walk graph or the coverage state is not loaded (no data imported yet, or loading failed).', [
  'graph_unavailable',
  'no_walk_network',
  'coverage_unavailable',
]);

/** 503 of the expensive requests: not loaded, or too much heavy work waiting (Retry-After). */
export const coverageNotReadyOrBusy = errorResponse(
  'The walk graph or the coverage state is not loaded, or too much heavy work is queued (`busy`, with Retry-After).',
  ['graph_unavailable', 'no_walk_network', 'coverage_unavailable', 'busy'],
);

/** 429 of the expensive requests: this client sent too many (Retry-After). */
export const rateLimited = errorResponse('Too many expensive requests from this client (its token, else its address); `Retry-After` says when to try again.', ['rate_limited']);
