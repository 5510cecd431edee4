/**
 * The access model: everything a coverage or nearest-center question needs
 * about one data version, built once and never changed afterwards. The walk
 * graph (with its edge index and search scratch), the household units linked
 * to their edges, the live centers snapped onto the network, and route
 * targets per center kind.
 *
 * A center edit makes a new model that shares the graph, the households and
 * their links with the one before and differs only in the centers; an import
 * makes a new model from scratch. Evaluations (evaluate-coverage.ts) read a
 * model and any set of center snaps, the live ones or a scenario's, and
 * never write to it or to the database.
 */
import { isServiceCenterKind, tierOf } from '../../kernel/life-circle-standard.ts';
import { UnknownKind } from '../domain-errors.ts';
import type { LoadedGraph } from '../routing/routing-service.ts';
import { buildTargetSet, type TargetSet } from '../routing/search/route.ts';
import { snapMany, type SnapColumns } from '../routing/search/snap.ts';
import type { CenterData, CoverageData } from './coverage-data.ts';
import { linkUnits, maskSnaps, type LinkedUnits } from './household-coverage.ts';

export interface AccessModel {
  /**
   * The data version this model describes as a whole. It differs from the
   * version its centers were read at only when households and centers could
   * not be proven to belong to one version; a write-back then does nothing.
   */
  readonly version: string;
  readonly loaded: LoadedGraph;
  readonly data: CoverageData;
  /** Household units snapped and linked to the network. */
  readonly units: LinkedUnits;
  readonly centers: CenterData;
  /** The live centers on the network (edge -1 where a center is off it). */
  readonly centerSnaps: SnapColumns;
  /** The same, with only the service centers (countsByDefault) on it: what coverage counts when no kind is asked for. */
  readonly serviceSnaps: SnapColumns;
  /** Route targets: the service centers under '' and each kind's centers under its name. */
  readonly targets: ReadonlyMap<string, TargetSet>;
}

/** Key of the service centers' target set (no kind asked for). */
const ALL_KINDS = '';

/**
 * Whether a center of `kind` counts when no kind is asked for: the
 * 15-minute circle's service centers (kernel/life-circle-standard.json), so a
 * convenience shop or a kindergarten does not make a household "covered";
 * and kinds the standard does not know (a center file's own kinds), which
 * the user imported as service centers.
 */
export function countsByDefault(kind: string): boolean {
  return tierOf(kind) === null || isServiceCenterKind(kind);
}

/** Snaps and links every household unit to the graph (the costly part of a model; once per graph). */
export function linkHouseholds(loaded: LoadedGraph, data: CoverageData): LinkedUnits {
  return linkUnits(loaded.graph, snapMany(loaded.graph, loaded.index, data.households.lon, data.households.lat));
}

/**
 * The model of `centers` over `data` on `loaded`'s graph, reusing `units`
 * (linkHouseholds of the same graph and data).
 */
export function buildAccessModel(version: string, loaded: LoadedGraph, data: CoverageData, units: LinkedUnits, centers: CenterData): AccessModel {
  const centerSnaps = snapMany(loaded.graph, loaded.index, centers.lon, centers.lat);
  const serviceSnaps = maskSnaps(centerSnaps, (i) => countsByDefault(centers.kind[i]!));
  const targets = new Map<string, TargetSet>([[ALL_KINDS, buildTargetSet(serviceSnaps)]]);
  for (const kind of centers.kinds) targets.set(kind, buildTargetSet(centerSnaps, (i) => centers.kind[i] === kind));
  return { version, loaded, data, units, centers, centerSnaps, serviceSnaps, targets };
}

/** Throws UnknownKind for a kind no center has; undefined (the service centers) passes. */
export function checkKind(model: AccessModel, kind: string | undefined): void {
  if (kind !== undefined && !model.centers.kinds.includes(kind)) throw new UnknownKind(kind, model.centers.kinds);
}

/** Route targets: the centers of `kind`, or the service centers. */
export function targetsOf(model: AccessModel, kind: string | undefined): TargetSet {
  checkKind(model, kind);
  return model.targets.get(kind ?? ALL_KINDS)!;
}

/** The live centers of `kind` as snaps (the others left out), or the service centers. */
export function centerSnapsOf(model: AccessModel, kind: string | undefined): SnapColumns {
  checkKind(model, kind);
  return kind === undefined ? model.serviceSnaps : maskSnaps(model.centerSnaps, (i) => model.centers.kind[i] === kind);
}
