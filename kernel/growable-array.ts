/**
 * Typed arrays that grow: for lists whose final size is known only at the
 * end (coordinates read from WKB, a way's node refs, traced outlines). Growth
 * doubles, so n pushes copy at most 2n elements; `view()` hands out the
 * filled part without copying, `trimmed()` a copy of exactly that size for
 * results that live on (doubling leaves up to half of a buffer empty).
 */

/** The typed arrays the project keeps per node, edge, vertex or household. */
export type NumericArray = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Uint8Array;

/**
 * `array` itself when it holds at least `need` elements, else a new array of
 * the same type, at least twice as long, with the contents copied.
 */
export function ensureCapacity<T extends NumericArray>(array: T, need: number): T {
  if (need <= array.length) return array;
  let size = Math.max(16, array.length);
  while (size < need) size *= 2;
  const next = new (array.constructor as new (length: number) => T)(size);
  next.set(array);
  return next;
}

/** A copy of array[0 .. length): exactly that size, sharing nothing. */
export function trimmed<T extends NumericArray>(array: T, length: number): T {
  return array.slice(0, length) as T;
}

/** A list of numbers in one typed array that grows by doubling. */
export class GrowableArray<T extends NumericArray> {
  /** The buffer; elements [0, length) are filled. It is replaced when it grows: do not keep it. */
  data: T;
  length = 0;

  constructor(data: T) {
    this.data = data;
  }

  /** Appends one value. */
  push(value: number): void {
    if (this.length === this.data.length) this.data = ensureCapacity(this.data, this.length + 1);
    this.data[this.length++] = value;
  }

  /** Appends two values (a coordinate pair). */
  push2(a: number, b: number): void {
    if (this.length + 2 > this.data.length) this.data = ensureCapacity(this.data, this.length + 2);
    this.data[this.length++] = a;
    this.data[this.length++] = b;
  }

  /** Makes room for `extra` more values without a further copy. */
  reserve(extra: number): void {
    this.data = ensureCapacity(this.data, this.length + extra);
  }

  /** The filled part, as a view of the buffer: valid until the next push. */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }

  /** The filled part as a copy of exactly that size. */
  toArray(): T {
    return trimmed(this.data, this.length);
  }

  /** Empties the list, keeping the buffer. */
  clear(): void {
    this.length = 0;
  }
}
