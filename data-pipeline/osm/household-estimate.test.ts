import { describe, expect, it } from 'vitest';
import {
  buildingInfo,
  countFlats,
  estimateHouseholds,
  householdsInBuilding,
  M2_PER_HOUSEHOLD,
  PERSONS_PER_HOUSEHOLD,
  ringAreaCentroid,
  USABLE_SHARE,
  YES_RESIDENTIAL_SHARE,
} from './household-estimate.ts';

describe('householdsInBuilding', () => {
  it('scales apartments by footprint and levels', () => {
    const five = householdsInBuilding(buildingInfo({ building: 'apartments', 'building:levels': '5' }), 480);
    expect(five).toBe(Math.round((480 * 5 * USABLE_SHARE) / M2_PER_HOUSEHOLD));
    const ten = householdsInBuilding(buildingInfo({ building: 'apartments', 'building:levels': '10' }), 480);
    expect(ten).toBe(2 * five);
    // Default levels for apartments: 5.
    expect(householdsInBuilding(buildingInfo({ building: 'apartments' }), 480)).toBe(five);
    // At least one household in a residential building.
    expect(householdsInBuilding(buildingInfo({ building: 'residential', 'building:levels': '1' }), 20)).toBe(1);
  });

  it('lets building:flats and addr:flats override the estimate', () => {
    expect(householdsInBuilding(buildingInfo({ building: 'apartments', 'building:flats': '12' }), 5000)).toBe(12);
    expect(householdsInBuilding(buildingInfo({ building: 'house', 'building:flats': '2' }), 100)).toBe(2);
    expect(householdsInBuilding(buildingInfo({ building: 'yes', 'addr:flats': '1-8' }), 100)).toBe(8);
    expect(householdsInBuilding(buildingInfo({ building: 'commercial', 'building:flats': '4' }), 900)).toBe(4);
  });

  it('counts one household in a house, detached house or bungalow whatever its size', () => {
    for (const kind of ['house', 'detached', 'bungalow', 'semidetached_house']) {
      expect(householdsInBuilding(buildingInfo({ building: kind, 'building:levels': '3' }), 400)).toBe(1);
    }
  });

  it('counts a terrace by its footprint, one house per 60 m²', () => {
    expect(householdsInBuilding(buildingInfo({ building: 'terrace' }), 360)).toBe(6);
    expect(householdsInBuilding(buildingInfo({ building: 'terrace' }), 20)).toBe(1);
  });

  it('counts building=yes only when plausibly housing', () => {
    const area = 200;
    expect(householdsInBuilding(buildingInfo({ building: 'yes' }), area)).toBe(
      Math.max(1, Math.round(((area * 3 * USABLE_SHARE) / M2_PER_HOUSEHOLD) * YES_RESIDENTIAL_SHARE)),
    );
    expect(householdsInBuilding(buildingInfo({ building: 'yes' }), 20)).toBe(0);
    expect(householdsInBuilding(buildingInfo({ building: 'yes' }), 5000)).toBe(0);
    expect(householdsInBuilding(buildingInfo({ building: 'yes', shop: 'supermarket' }), area)).toBe(0);
    expect(householdsInBuilding(buildingInfo({ building: 'yes', amenity: 'school' }), area)).toBe(0);
  });

  it('does not count non-residential types', () => {
    for (const kind of ['commercial', 'industrial', 'church', 'school', 'garage', 'roof']) {
      expect(householdsInBuilding(buildingInfo({ building: kind }), 300)).toBe(0);
    }
  });
});

describe('countFlats', () => {
  it('reads ranges and lists of flat numbers', () => {
    expect(countFlats('1-12')).toBe(12);
    expect(countFlats('1;2;5')).toBe(3);
    expect(countFlats('1-4;7')).toBe(5);
    expect(countFlats('A')).toBe(1);
  });
});

describe('ringAreaCentroid', () => {
  it('measures a 100 m square and finds its centre', () => {
    const dLat = 100 / 111195.08;
    const dLon = dLat / Math.cos((43.7 * Math.PI) / 180);
    const ring = new Float64Array([7.4, 43.7, 7.4 + dLon, 43.7, 7.4 + dLon, 43.7 + dLat, 7.4, 43.7 + dLat, 7.4, 43.7]);
    const m = ringAreaCentroid(ring, 0, 5);
    expect(m.areaM2).toBeCloseTo(10_000, -1);
    expect(m.lon).toBeCloseTo(7.4 + dLon / 2, 8);
    expect(m.lat).toBeCloseTo(43.7 + dLat / 2, 8);
  });

  it('weights by area, not by vertices', () => {
    // An L-shape with many vertices on one arm: the vertex mean would be pulled there.
    const pts = [0, 0, 0.002, 0, 0.002, 0.0002, 0.0015, 0.0002, 0.001, 0.0002, 0.0005, 0.0002, 0.0002, 0.0002, 0.0002, 0.001, 0, 0.001, 0, 0];
    const m = ringAreaCentroid(new Float64Array(pts), 0, pts.length / 2);
    const armA = { a: 0.002 * 0.0002, x: 0.001, y: 0.0001 };
    const armB = { a: 0.0002 * 0.0008, x: 0.0001, y: 0.0006 };
    expect(m.lon).toBeCloseTo((armA.a * armA.x + armB.a * armB.x) / (armA.a + armB.a), 6);
    expect(m.lat).toBeCloseTo((armA.a * armA.y + armB.a * armB.y) / (armA.a + armB.a), 6);
  });
});

describe('estimateHouseholds', () => {
  it('makes one unit per residential building with persons', () => {
    const info = [buildingInfo({ building: 'house' }), buildingInfo({ building: 'garage' }), buildingInfo({ building: 'apartments', 'building:flats': '20' })];
    const est = estimateHouseholds({
      count: 3,
      info,
      areaM2: new Float64Array([120, 30, 600]),
      lon: new Float64Array([1, 2, 3]),
      lat: new Float64Array([4, 5, 6]),
      osmId: new Float64Array([11, 12, 13]),
    });
    const h = est.households;
    expect(h.count).toBe(2);
    expect(Array.from(h.households)).toEqual([1, 20]);
    expect(Array.from(h.persons)).toEqual([Math.round(PERSONS_PER_HOUSEHOLD), Math.round(20 * PERSONS_PER_HOUSEHOLD)]);
    expect(Array.from(h.lon)).toEqual([1, 3]);
    expect(h.sourceIds).toEqual(['way/11', 'way/13']);
    expect(Array.from(h.gridIndex)).toEqual([-1, -1]);
    expect(est.householdsTotal).toBe(21);
  });
});
