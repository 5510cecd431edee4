/**
 * The output of reachable-segments as it grows: segments (four plane
 * coordinates and a level each) in typed arrays, the bounding box and the
 * reachable length of each level. `result()` turns the per-level boxes and
 * lengths into cumulative ones (contour k holds every level <= k).
 */
import { ensureCapacity } from '../../../kernel/growable-array.ts';
import type { IsochroneScratch } from './isochrone-scratch.ts';
import type { ReachableSegments } from './reachable-segments.ts';

export class SegmentSink {
  xy: Float64Array;
  level: Uint8Array;
  count = 0;
  readonly box: Float64Array;
  readonly length: Float64Array;

  /** Room for `capacity` segments to start with, in the scratch's arrays when one is given. */
  constructor(levels: number, capacity: number, scratch: IsochroneScratch | undefined) {
    const arrays = scratch ? scratch.segments(capacity) : { xy: new Float64Array(4 * capacity), level: new Uint8Array(capacity) };
    this.xy = arrays.xy;
    this.level = arrays.level;
    this.box = new Float64Array(4 * levels);
    for (let k = 0; k < levels; k++) this.box.set([Infinity, Infinity, -Infinity, -Infinity], 4 * k);
    this.length = new Float64Array(levels);
  }

  /** A segment for marking (its length is counted separately, with addLength). */
  add(x1: number, y1: number, x2: number, y2: number, k: number): void {
    if (this.count === this.level.length) {
      // xy follows level, so it always holds four doubles per level byte.
      this.level = ensureCapacity(this.level, this.count + 1);
      this.xy = ensureCapacity(this.xy, 4 * this.level.length);
    }
    const i = this.count++;
    const xy = this.xy;
    xy[4 * i] = x1;
    xy[4 * i + 1] = y1;
    xy[4 * i + 2] = x2;
    xy[4 * i + 3] = y2;
    this.level[i] = k;
    const b = this.box;
    const o = 4 * k;
    const minX = x1 < x2 ? x1 : x2;
    const maxX = x1 < x2 ? x2 : x1;
    const minY = y1 < y2 ? y1 : y2;
    const maxY = y1 < y2 ? y2 : y1;
    if (minX < b[o]!) b[o] = minX;
    if (minY < b[o + 1]!) b[o + 1] = minY;
    if (maxX > b[o + 2]!) b[o + 2] = maxX;
    if (maxY > b[o + 3]!) b[o + 3] = maxY;
  }

  addLength(k: number, metres: number): void {
    this.length[k]! += metres;
  }

  /** The segments, with each level's box and length made cumulative over the levels below it. */
  result(): ReachableSegments {
    const levels = this.length.length;
    const bbox = this.box.slice();
    const lengthM = this.length.slice();
    for (let k = 1; k < levels; k++) {
      const o = 4 * k;
      bbox[o] = Math.min(bbox[o]!, bbox[o - 4]!);
      bbox[o + 1] = Math.min(bbox[o + 1]!, bbox[o - 3]!);
      bbox[o + 2] = Math.max(bbox[o + 2]!, bbox[o - 2]!);
      bbox[o + 3] = Math.max(bbox[o + 3]!, bbox[o - 1]!);
      lengthM[k]! += lengthM[k - 1]!;
    }
    return { count: this.count, xy: this.xy, level: this.level, bbox, lengthM };
  }
}
