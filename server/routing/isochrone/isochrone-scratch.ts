/**
 * Reusable buffers of isochrone builds: the distance field, its block flags
 * and zero runs, the traced-edge marks, the traced vertices and the segment
 * list, which a build would otherwise allocate afresh (some 100-300 kB of typed arrays per
 * request, off-heap memory that V8 counts towards its collection triggers).
 *
 * The project's scratch style: a `*Scratch` object holds the reusable
 * buffers of one kind of computation; its owner creates it (the isochrone
 * routes keep one; nothing module-level) and passes it as the last, optional
 * argument (`buildIsochrones`, and from there to each stage); without it the
 * computation allocates fresh buffers. Builds are synchronous, so one scratch
 * never serves two builds at once. Buffers larger than RETAIN_BYTES (a
 * city-wide union) are handed out but not kept.
 */

/** Largest buffer a scratch keeps between builds. */
export const RETAIN_BYTES = 4 << 20;

export class IsochroneScratch {
  private fieldBytes: Uint8Array = new Uint8Array(0);
  private seenBytes: Uint8Array = new Uint8Array(0);
  private blockBytes: Uint8Array = new Uint8Array(0);
  private runBytes: Uint8Array = new Uint8Array(0);
  private segmentXY: Float64Array = new Float64Array(0);
  private segmentLevel: Uint8Array = new Uint8Array(0);
  private vertexValues: Float64Array = new Float64Array(4096);

  /** `size` bytes for distance-field codes; contents undefined. */
  field(size: number): Uint8Array {
    if (this.fieldBytes.length >= size) return this.fieldBytes.subarray(0, size);
    const bytes = new Uint8Array(size);
    if (size <= RETAIN_BYTES) this.fieldBytes = bytes;
    return bytes;
  }

  /** `size` zeroed bytes for traced-edge marks. */
  seen(size: number): Uint8Array {
    if (this.seenBytes.length >= size) return this.seenBytes.subarray(0, size).fill(0);
    const bytes = new Uint8Array(size);
    if (size <= RETAIN_BYTES) this.seenBytes = bytes;
    return bytes;
  }

  /** `size` bytes for the zero runs of field marking; contents undefined. */
  runs(size: number): Uint8Array {
    if (this.runBytes.length >= size) return this.runBytes.subarray(0, size);
    const bytes = new Uint8Array(size);
    if (size <= RETAIN_BYTES) this.runBytes = bytes;
    return bytes;
  }

  /** `size` zeroed bytes for block flags. */
  blocks(size: number): Uint8Array {
    if (this.blockBytes.length >= size) return this.blockBytes.subarray(0, size).fill(0);
    const bytes = new Uint8Array(size);
    if (size <= RETAIN_BYTES) this.blockBytes = bytes;
    return bytes;
  }

  /** Segment arrays with room for at least `capacity` segments (4 doubles and a level each); contents undefined. */
  segments(capacity: number): { xy: Float64Array; level: Uint8Array } {
    if (this.segmentLevel.length < capacity) return { xy: new Float64Array(4 * capacity), level: new Uint8Array(capacity) };
    return { xy: this.segmentXY, level: this.segmentLevel };
  }

  /**
   * A buffer for traced vertices; contents undefined. A trace may outgrow it
   * and give the larger one back (keepVertices). Traced rings are views of
   * it, so they last until the next trace with this scratch: buildIsochrones
   * turns each contour into integer rings before tracing the next.
   */
  vertices(): Float64Array {
    return this.vertexValues;
  }

  /** Takes back a vertex buffer grown during a trace. */
  keepVertices(values: Float64Array): void {
    if (values.length > this.vertexValues.length && values.byteLength <= RETAIN_BYTES) this.vertexValues = values;
  }

  /** Takes back segment arrays (grown during a build) for the next one. */
  keepSegments(xy: Float64Array, level: Uint8Array): void {
    if (level.length > this.segmentLevel.length && xy.byteLength <= RETAIN_BYTES) {
      this.segmentXY = xy;
      this.segmentLevel = level;
    }
  }
}
