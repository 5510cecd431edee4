/**
 * How each kind of settlement lays out its streets (street-network.ts): how
 * often a lattice line is an arterial, how many local segments are dropped,
 * how many blocks get alleys and of which classes, how much the lattice is
 * jittered. Urban centres are dense and regular, towns a little looser,
 * villages sparse with paths and tracks.
 */
import type { RoadClass } from './network-builder.ts';
import type { PatchKind } from './settlements.ts';

/** A lattice line's road class and rank: 0 arterial (never dropped), 1 collector, 2 local. */
export interface LineClass {
  cls: RoadClass;
  rank: 0 | 1 | 2;
}

export interface PatchStyle {
  /** Every n-th lattice line is an arterial (0: none, as in villages). */
  arterialPeriod: number;
  /** Share of local segments dropped (T-junctions, dead ends, merged blocks). */
  dropLocal: number;
  /** Share of collector segments dropped. */
  dropCollector: number;
  /** Share of blocks that get alleys. */
  alleyChance: number;
  /** Share of those alleys that run side to side rather than ending inside the block. */
  throughShare: number;
  /** Largest shift of a lattice node on each axis, as a share of the spacing. */
  jitter: number;
  /** Alley classes with their weights. */
  alleyClasses: readonly (readonly [RoadClass, number])[];
}

export const STYLES: Record<PatchKind, PatchStyle> = {
  urban: {
    arterialPeriod: 6,
    dropLocal: 0.17,
    dropCollector: 0.05,
    alleyChance: 0.6,
    throughShare: 0.55,
    jitter: 0.17,
    alleyClasses: [
      ['footway', 0.34],
      ['service', 0.3],
      ['path', 0.1],
      ['pedestrian', 0.1],
      ['steps', 0.04],
      ['residential', 0.12],
    ],
  },
  town: {
    arterialPeriod: 5,
    dropLocal: 0.2,
    dropCollector: 0.06,
    alleyChance: 0.45,
    throughShare: 0.5,
    jitter: 0.18,
    alleyClasses: [
      ['service', 0.4],
      ['footway', 0.32],
      ['path', 0.22],
      ['steps', 0.06],
    ],
  },
  village: {
    arterialPeriod: 0,
    dropLocal: 0.28,
    dropCollector: 0.28,
    alleyChance: 0.35,
    throughShare: 0.5,
    jitter: 0.2,
    alleyClasses: [
      ['path', 0.45],
      ['footway', 0.35],
      ['track', 0.2],
    ],
  },
};

/** Corner-to-corner paths across a block: how often, how curved, of which classes. */
export interface CornerAlleyStyle {
  /** Share of blocks that get one. */
  chance: number;
  /** Largest bend off the chord, as a share of the lattice spacing. */
  maxBend: number;
  /** Class `first` with probability `firstShare`, else `second`. */
  first: RoadClass;
  second: RoadClass;
  firstShare: number;
}

/** Winding paths and steps over a hill park. */
export const HILL_PATHS: CornerAlleyStyle = { chance: 0.5, maxBend: 0.18, first: 'steps', second: 'path', firstShare: 0.4 };

/** A gated compound's (小区) internal roads: footways and service roads. */
export const COMPOUND_ROADS: CornerAlleyStyle = { chance: 0.55, maxBend: 0.2, first: 'footway', second: 'service', firstShare: 0.55 };
