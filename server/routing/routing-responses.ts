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
