import { describe, expect, it } from 'vitest';
import { NodeStore, WayRefs } from './node-store.ts';

describe('NodeStore', () => {
  it('finds sorted ids and misses absent ones', () => {
    const s = new NodeStore();
    for (let i = 0; i < 100_000; i++) s.add(10 + 3 * i, 7 + i * 1e-6, 43 + i * 1e-6);
    expect(s.count).toBe(100_000);
    const i = s.indexOf(10 + 3 * 4321);
    expect(i).toBe(4321);
    expect(s.lon(i)).toBeCloseTo(7.004321, 7);
    expect(s.lat(i)).toBeCloseTo(43.004321, 7);
    expect(s.indexOf(11)).toBe(-1);
    expect(s.indexOf(1)).toBe(-1);
    expect(s.indexOf(10 + 3 * 100_000)).toBe(-1);
    expect(s.indexOf(13, 0)).toBe(1);
    expect(s.bytes / s.count).toBeLessThanOrEqual(17);
    // Adding after a lookup still works (the store re-seals).
    s.add(10 + 3 * 100_000, 8, 44);
    expect(s.lon(s.indexOf(10 + 3 * 100_000))).toBe(8);
  });

  it('sorts once when ids arrive unsorted', () => {
    const s = new NodeStore();
    s.add(5, 1, 1);
    s.add(2, 2, 2);
    s.add(9, 3, 3);
    s.add(2 ** 40, -179.9999999, -89.9999999);
    expect(s.lon(s.indexOf(2))).toBe(2);
    expect(s.lat(s.indexOf(9))).toBe(3);
    expect(s.lon(s.indexOf(2 ** 40))).toBe(-179.9999999);
    expect(s.indexOf(4)).toBe(-1);
  });

  it('keeps coordinates to OSM precision (1e-7 degrees)', () => {
    const s = new NodeStore();
    s.add(1, 179.9999999, 89.9999999);
    s.add(2, 7.4212345, 43.7384176);
    expect(s.lon(0)).toBe(179.9999999);
    expect(s.lat(1)).toBe(43.7384176);
  });
});

describe('WayRefs', () => {
  it('copies refs into one flat array', () => {
    const w = new WayRefs();
    const buf = new Float64Array([1, 2, 3]);
    w.add(100, buf);
    buf[0] = 99;
    for (let i = 0; i < 1000; i++) w.add(200 + i, [i, i + 1]);
    expect(w.count).toBe(1001);
    expect(Array.from(w.refs.subarray(w.start(0), w.end(0)))).toEqual([1, 2, 3]);
    expect(w.id(1000)).toBe(1199);
    expect(Array.from(w.refs.subarray(w.start(1000), w.end(1000)))).toEqual([999, 1000]);
    expect(w.totalRefs).toBe(2003);
  });
});
