/**
 * The element stream that both OSM readers (PBF and XML) emit, in file order
 * (nodes, then ways, then relations, as OSM files are sorted). Callbacks get
 * short-lived values: a reader may reuse the `refs` buffer after the callback
 * returns, so copy what you keep.
 */

export type Tags = Record<string, string>;

export interface OsmHandler {
  /** Every node; tags is null for untagged nodes (most of them). */
  node(id: number, lon: number, lat: number, tags: Tags | null): void;
  /** Every way with its node references (may include ids absent from the file). */
  way(id: number, refs: ArrayLike<number>, tags: Tags): void;
  /** Every relation; members in order. Optional: readers skip decoding when absent. */
  relation?(id: number, members: OsmMember[], tags: Tags): void;
}

export interface OsmMember {
  type: 'node' | 'way' | 'relation';
  ref: number;
  role: string;
}

/** Progress of a read, in bytes of the file. */
export interface ReadProgress {
  bytesRead: number;
  totalBytes: number;
}

/** Thrown for a file that is not valid OSM; message names the file and where. */
export class OsmFormatError extends Error {
  constructor(
    readonly file: string,
    readonly where: string,
    message: string,
  ) {
    super(`${file}: ${where}: ${message}`);
    this.name = 'OsmFormatError';
  }
}
