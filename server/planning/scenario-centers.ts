/**
 * A scenario's center set: the live centers with the scenario's changes
 * applied in order (added, moved, removed), snapped onto the access model's
 * graph. Live centers keep their index (a moved one too, so "nearest" still
 * names it; a removed one stays with edge -1, so it can be drawn struck
 * out); added centers follow, numbered -1, -2, ... in place of an id.
 *
 * A change naming a center the live data does not have is ScenarioConflict
 * (the route answers 400 while the scenario is written, 409 when the live
 * data dropped the center later); an added or moved point farther than the
 * snapping maximum from any walkway is OffNetwork, naming the change.
 */
import { ScenarioConflict } from '../domain-errors.ts';
import type { AccessModel } from '../coverage/access-model.ts';
import type { SnapColumns } from '../routing/search/snap.ts';
import { snapOrigin } from '../routing/snap-origin.ts';

export type ScenarioChange =
  | { op: 'add'; name: string; kind: string; lon: number; lat: number; services: string[] }
  | { op: 'move'; center_id: number; lon: number; lat: number }
  | { op: 'remove'; center_id: number };

/** What a scenario does to each center (the `change` of the centers tile layer). */
export const CENTER_CHANGE = ['same', 'added', 'moved', 'removed'] as const;
export type CenterChange = (typeof CENTER_CHANGE)[number];

export interface ScenarioCenters {
  /** Live centers, then added ones. */
  count: number;
  /** Live id, or -1, -2, ... for the first, second, ... added center. */
  id: Int32Array;
  name: string[];
  kind: string[];
  services: string[][];
  /** Where the center is in the scenario (a removed one: where it was). */
  lon: Float64Array;
  lat: Float64Array;
  /** Index into CENTER_CHANGE. */
  change: Uint8Array;
  /** On the network; edge -1 for removed centers. */
  snaps: SnapColumns;
  /** The distinct kinds of the centers the scenario keeps, sorted. */
  kinds: string[];
}

/** The scenario's centers on `model` (see the module header for the errors). */
export function scenarioCenters(model: AccessModel, changes: readonly ScenarioChange[], scenarioId?: number): ScenarioCenters {
  const live = model.centers;
  const adds = changes.filter((c) => c.op === 'add').length;
  const count = live.count + adds;
  const snaps: SnapColumns = { count, edge: new Int32Array(count).fill(-1), fraction: new Float64Array(count), distanceM: new Float32Array(count) };
  snaps.edge.set(model.centerSnaps.edge);
  snaps.fraction.set(model.centerSnaps.fraction);
  snaps.distanceM.set(model.centerSnaps.distanceM);
  const centers: ScenarioCenters = {
    count,
    id: new Int32Array(count),
    name: [...live.name],
    kind: [...live.kind],
    services: [...live.services],
    lon: new Float64Array(count),
    lat: new Float64Array(count),
    change: new Uint8Array(count),
    snaps,
    kinds: [],
  };
  centers.id.set(live.id);
  centers.lon.set(live.lon);
  centers.lat.set(live.lat);
  const indexOfId = new Map<number, number>();
  for (let i = 0; i < live.count; i++) indexOfId.set(live.id[i]!, i);
  const { graph, index } = model.loaded;
  const place = (i: number, lon: number, lat: number, label: string) => {
    const snap = snapOrigin(graph, index, lon, lat, undefined, label).snap;
    snaps.edge[i] = snap.edge;
    snaps.fraction[i] = snap.fraction;
    snaps.distanceM[i] = snap.distanceM;
    centers.lon[i] = lon;
    centers.lat[i] = lat;
  };
  let added = live.count;
  changes.forEach((change, k) => {
    const label = `changes[${k}] (${change.op})`;
    if (change.op === 'add') {
      const i = added++;
      centers.id[i] = live.count - i - 1;
      centers.name[i] = change.name;
      centers.kind[i] = change.kind;
      centers.services[i] = change.services;
      centers.change[i] = CENTER_CHANGE.indexOf('added');
      place(i, change.lon, change.lat, label);
      return;
    }
    const i = indexOfId.get(change.center_id);
    if (i === undefined || CENTER_CHANGE[centers.change[i]!] === 'removed') throw new ScenarioConflict(scenarioId, change.center_id, k);
    if (change.op === 'remove') {
      centers.change[i] = CENTER_CHANGE.indexOf('removed');
      snaps.edge[i] = -1;
    } else {
      centers.change[i] = CENTER_CHANGE.indexOf('moved');
      place(i, change.lon, change.lat, label);
    }
  });
  centers.kinds = [...new Set(centers.kind.filter((_, i) => snaps.edge[i]! >= 0 || CENTER_CHANGE[centers.change[i]!] !== 'removed'))].sort();
  return centers;
}
