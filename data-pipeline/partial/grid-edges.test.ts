// A unit on a grid's outer edge is in that grid (the generated grids put
// the westernmost units exactly there); one a few metres outside is not.
import { describe, expect, it } from 'vitest';
import { METRES_PER_DEGREE, RAD } from '../../kernel/geo.ts';
import type { GridRow } from '../../kernel/import-bundle.ts';
import { assignToGrids } from '../inputs/assign-to-grids.ts';
import { assignWithEdges } from './grid-edges.ts';

const square = (code: string, x0: number, y0: number, x1: number, y1: number): GridRow => ({
  code, name: code, districtCode: null, streetCode: null, communityCode: null, officers: 0,
  geom: [[[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]],
});

describe('assignWithEdges', () => {
  const grids = [square('W', 119.0, 25.4, 119.005, 25.405), square('E', 119.005, 25.4, 119.01, 25.405)];
  const metreLon = 1 / (METRES_PER_DEGREE * Math.cos(25.4 * RAD));
  const lon = Float64Array.of(119.0, 119.0 - 0.5 * metreLon, 119.0 - 3 * metreLon, 119.007, 119.01);
  const lat = Float64Array.of(25.402, 25.402, 25.402, 25.402, 25.4);

  it('puts units on the outer edge (or within 1 m of it) into the grid there, and no farther', () => {
    // The even-odd test alone leaves units on some edges out (here the south-east corner): what this module exists for.
    expect([...assignToGrids(grids, lon, lat)]).toEqual([0, -1, -1, 1, -1]);
    expect([...assignWithEdges(grids, lon, lat)]).toEqual([0, 0, -1, 1, 1]);
  });
});
