/**
 * The storage interface: one small surface that both backends implement, the
 * PostGIS server through `pg` and the embedded PGlite with PostGIS. Everything
 * above this file speaks SQL with bound parameters through it and never knows
 * which backend it has, except where a capability differs (`hasMvt`).
 */

/** Anything that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  /** Runs one statement with bound parameters ($1, $2, ...) and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Bulk-loads rows encoded in binary COPY format (`BinaryCopyWriter`) into a
   * table's columns. Table and column names are the caller's constants; the
   * chunks are pulled as the backend takes them, so encoding overlaps loading.
   */
  copyBinary(table: string, columns: readonly string[], chunks: Iterable<Uint8Array<ArrayBuffer>>): Promise<void>;
}

export type BackendKind = 'postgis' | 'pglite';

export interface Database extends Queryable {
  readonly kind: BackendKind;
  /** True where ST_AsMVT works (the PostGIS server); PGlite's build lacks protobuf. */
  readonly hasMvt: boolean;
  /**
   * Runs fn in one transaction on one connection: committed when fn resolves,
   * rolled back when it throws, so a failed import leaves the old data whole.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Calls `onNotify` with the payload of every NOTIFY on `channel` (a plain
   * identifier), from any process on the same database, until the returned
   * function is called. Only where other processes can share the database
   * (the PostGIS server); the embedded database serves one process.
   */
  listen?(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
