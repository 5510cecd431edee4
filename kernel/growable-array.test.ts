// The growable typed array: growth keeps the type and the contents, doubles
// (so pushes stay amortised O(1)), and the views and copies it hands out are
// exactly the filled part. Checked against a plain array on seeded pushes.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../test/seeded-random.ts';
import { ensureCapacity, GrowableArray, trimmed } from './growable-array.ts';

describe('ensureCapacity', () => {
  it('returns the same array when it already holds enough', () => {
    const a = new Int32Array([1, 2, 3, 4]);
    expect(ensureCapacity(a, 0)).toBe(a);
    expect(ensureCapacity(a, 4)).toBe(a);
  });

  it('grows to a larger array of the same type with the contents copied', () => {
    for (const make of [(n: number) => new Float64Array(n), (n: number) => new Int32Array(n), (n: number) => new Uint8Array(n), (n: number) => new Uint16Array(n)]) {
      const a = make(20);
      for (let i = 0; i < 20; i++) a[i] = i + 1;
      const b = ensureCapacity(a, 21);
      expect(b).not.toBe(a);
      expect(b.constructor).toBe(a.constructor);
      expect(b.length).toBeGreaterThanOrEqual(21);
      expect(Array.from(b.subarray(0, 20))).toEqual(Array.from(a));
      expect(Array.from(b.subarray(20))).toEqual(new Array(b.length - 20).fill(0));
    }
  });

  it('at least doubles, from 16 for tiny arrays, so n pushes copy O(n) elements', () => {
    expect(ensureCapacity(new Float64Array(0), 1).length).toBe(16);
    expect(ensureCapacity(new Float64Array(3), 4).length).toBe(16);
    expect(ensureCapacity(new Float64Array(100), 101).length).toBe(200);
    expect(ensureCapacity(new Float64Array(100), 401).length).toBe(800);
  });

  it('leaves the old array untouched', () => {
    const a = Float64Array.of(1, 2);
    const b = ensureCapacity(a, 3);
    b[0] = 9;
    expect(Array.from(a)).toEqual([1, 2]);
  });
});

describe('trimmed', () => {
  it('copies exactly the first `length` elements into a buffer of that size', () => {
    const a = Float64Array.of(1, 2, 3, 4, 5);
    const t = trimmed(a, 3);
    expect(t).toBeInstanceOf(Float64Array);
    expect(Array.from(t)).toEqual([1, 2, 3]);
    expect(t.buffer.byteLength).toBe(3 * 8);
    t[0] = 9;
    expect(a[0]).toBe(1);
  });
});

describe('GrowableArray', () => {
  it('matches a plain array over seeded pushes, pairs, clears and reserves', () => {
    const random = seededRandom(11);
    const list = new GrowableArray(new Int32Array(4));
    let reference: number[] = [];
    for (let step = 0; step < 5000; step++) {
      const r = random();
      if (r < 0.6) {
        const v = Math.floor(random() * 2e9) - 1e9;
        list.push(v);
        reference.push(v);
      } else if (r < 0.9) {
        const a = Math.floor(random() * 1000);
        const b = -Math.floor(random() * 1000);
        list.push2(a, b);
        reference.push(a, b);
      } else if (r < 0.995) {
        const extra = Math.floor(random() * 300);
        list.reserve(extra);
        expect(list.data.length).toBeGreaterThanOrEqual(list.length + extra);
      } else {
        list.clear();
        reference = [];
      }
      expect(list.length).toBe(reference.length);
    }
    expect(reference.length).toBeGreaterThan(100);
    expect(Array.from(list.view())).toEqual(reference);
    expect(Array.from(list.toArray())).toEqual(reference);
  });

  it('keeps the buffer type and holds 64-bit values exactly (node ids beyond 2^31)', () => {
    const list = new GrowableArray(new Float64Array(2));
    const ids = [2 ** 31 + 5, 12_345_678_901, 2 ** 53 - 1, -1];
    for (const id of ids) list.push(id);
    expect(list.data).toBeInstanceOf(Float64Array);
    expect(Array.from(list.view())).toEqual(ids);
  });

  it('view() shares the buffer, toArray() does not, and both cover only the filled part', () => {
    const list = new GrowableArray(new Float64Array(64));
    list.push2(1.5, 2.5);
    list.push(3.5);
    const view = list.view();
    const copy = list.toArray();
    expect(view.length).toBe(3);
    expect(copy.length).toBe(3);
    expect(copy.buffer.byteLength).toBe(3 * 8);
    list.data[0] = 7;
    expect(view[0]).toBe(7);
    expect(copy[0]).toBe(1.5);
  });

  it('clear() keeps the buffer for reuse', () => {
    const list = new GrowableArray(new Uint8Array(2));
    for (let i = 0; i < 100; i++) list.push(i);
    const buffer = list.data;
    list.clear();
    expect(list.length).toBe(0);
    expect(list.view().length).toBe(0);
    list.push(42);
    expect(list.data).toBe(buffer);
    expect(Array.from(list.view())).toEqual([42]);
  });

  it('grows from an empty buffer', () => {
    const list = new GrowableArray(new Float32Array(0));
    list.push(0.5);
    list.push2(1, 2);
    expect(Array.from(list.toArray())).toEqual([0.5, 1, 2]);
  });
});
