/**
 * The walking model's first half: which OSM ways a pedestrian may use and in
 * which directions (the second half, how fast, is kernel/walk-speed.ts).
 * The rules are the walking model below (walkable classes, foot and access
 * permissions, `oneway:foot` only); every decision is made from the
 * way's own tags, so it is a pure function that the importer calls per way.
 */
import type { Tags } from './osm-elements.ts';

/** A walkable way: its class (the highway value, e.g. "footway", "steps") and the directions walkers may go. */
export interface WalkAccess {
  class: string;
  /** Walkers may go along the way's node order. */
  forward: boolean;
  /** Walkers may go against the way's node order. */
  backward: boolean;
}

/**
 * Walkable without any foot tag. Roads of these classes carry pedestrians on
 * the carriageway or its sidewalks; `crossing` is the rare highway=crossing
 * drawn as a way (highway=footway + footway=crossing is already a footway).
 * The *_link roads of walkable classes are as walkable as the roads they join.
 */
const WALKABLE = new Set([
  'footway',
  'pedestrian',
  'path',
  'steps',
  'living_street',
  'residential',
  'service',
  'unclassified',
  'tertiary',
  'tertiary_link',
  'secondary',
  'secondary_link',
  'primary',
  'primary_link',
  'track',
  'crossing',
]);

/**
 * Walkable only with an explicit foot permission: motorways and trunk roads
 * (usually forbidden to walkers, by the design's walking model), and cycleways and bridleways
 * (other users' ways; walkers may use them where foot=yes|designated|permissive says so).
 */
const WALKABLE_WITH_FOOT_PERMISSION = new Set([
  'motorway',
  'motorway_link',
  'trunk',
  'trunk_link',
  'cycleway',
  'bridleway',
]);

/** foot=* values that grant access and override a general access=no|private. */
const FOOT_PERMITS = new Set(['yes', 'designated', 'permissive']);

/** foot=* values that forbid walking. Only foot=no: foot=use_sidepath roads stay in, since dropping them can cut the network where the sidewalks are not joined up. */
const FOOT_FORBIDS = new Set(['no']);

/** access=* values that close a way to walkers unless a foot permit says otherwise. */
const ACCESS_FORBIDS = new Set(['no', 'private']);

const ONEWAY_FORWARD = new Set(['yes', '1', 'true']);
const ONEWAY_BACKWARD = new Set(['-1', 'reverse']);

/**
 * Decides whether walkers may use a way and in which directions; null when not.
 * `oneway` is a rule for vehicles and is ignored; only `oneway:foot` binds
 * walkers (yes/1/true: along the node order only, -1: against it only).
 * highway=pedestrian|footway with area=yes (a square) stays walkable: its
 * outline is used as a way, so people can walk around and across its edge.
 */
export function walkAccess(tags: Tags): WalkAccess | null {
  const highway = tags.highway;
  if (highway === undefined) return null;
  const foot = tags.foot;
  if (foot !== undefined && FOOT_FORBIDS.has(foot)) return null;
  const footPermit = foot !== undefined && FOOT_PERMITS.has(foot);
  if (WALKABLE.has(highway)) {
    // fine as it is
  } else if (WALKABLE_WITH_FOOT_PERMISSION.has(highway)) {
    if (!footPermit) return null;
  } else {
    return null;
  }
  const access = tags.access;
  if (access !== undefined && ACCESS_FORBIDS.has(access) && !footPermit) return null;

  const onewayFoot = tags['oneway:foot'];
  let forward = true;
  let backward = true;
  if (onewayFoot !== undefined) {
    if (ONEWAY_FORWARD.has(onewayFoot)) backward = false;
    else if (ONEWAY_BACKWARD.has(onewayFoot)) forward = false;
  }
  return { class: highway, forward, backward };
}
