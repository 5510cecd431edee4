/**
 * A SHA-256 fingerprint of an ImportBundle: the typed arrays' bytes and every
 * row's fields in a fixed order, so two runs of the generator can be compared
 * for byte-identical output without writing the bundle anywhere.
 */
import { createHash, type Hash } from 'node:crypto';
import type { ImportBundle, MultiPolygonCoords } from '../../kernel/import-bundle.ts';

function bytes(hash: Hash, ...arrays: ArrayBufferView[]): void {
  for (const array of arrays) hash.update(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
}

function text(hash: Hash, ...values: (string | null)[]): void {
  for (const value of values) {
    // Length-prefixed so field boundaries are unambiguous.
    const s = value === null ? '\u0000null' : value;
    hash.update(`${s.length}:${s}|`);
  }
}

function multiPolygon(hash: Hash, geom: MultiPolygonCoords | null): void {
  if (geom === null) {
    text(hash, null);
    return;
  }
  const flat: number[] = [];
  const shape: number[] = [geom.length];
  for (const polygon of geom) {
    shape.push(polygon.length);
    for (const ring of polygon) {
      shape.push(ring.length);
      for (const [lon, lat] of ring) flat.push(lon, lat);
    }
  }
  bytes(hash, Int32Array.from(shape));
  bytes(hash, Float64Array.from(flat));
}

export function demoCityChecksum(bundle: ImportBundle): string {
  const hash = createHash('sha256');
  text(hash, bundle.city.code, bundle.city.name, bundle.source);
  for (const a of bundle.admin) {
    text(hash, a.code, a.level, a.name, a.parentCode);
    multiPolygon(hash, a.geom);
  }
  for (const g of bundle.grids) {
    text(hash, g.code, g.name, g.districtCode, g.streetCode, g.communityCode, String(g.officers));
    multiPolygon(hash, g.geom);
  }
  for (const c of bundle.centers) {
    text(hash, c.name, c.kind, c.services.join(','), c.source, c.sourceId);
    bytes(hash, Float64Array.of(c.lon, c.lat));
  }
  const h = bundle.households;
  text(hash, String(h.count));
  bytes(hash, h.lon, h.lat, h.households, h.persons, h.gridIndex);
  text(hash, h.source, h.sourceIds.join(','));
  const n = bundle.network;
  text(hash, `${n.nodeCount}/${n.edgeCount}`);
  bytes(hash, n.nodeLon, n.nodeLat, n.nodeOsmId, n.source, n.target, n.lengthM, n.cost, n.reverseCost, n.classIndex);
  text(hash, n.classNames.join(','));
  bytes(hash, n.edgeOsmId, n.geomOffset, n.coords);
  for (const b of bundle.buildings) {
    text(hash, b.kind, b.levels === null ? null : String(b.levels));
    multiPolygon(hash, b.geom);
  }
  for (const w of bundle.water) {
    text(hash, w.kind, w.name);
    if (w.geom.type === 'MultiPolygon') multiPolygon(hash, w.geom.coordinates);
    else bytes(hash, Float64Array.from(w.geom.coordinates.flat()));
  }
  return hash.digest('hex');
}
