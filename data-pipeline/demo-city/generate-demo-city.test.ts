// The demo city generator: deterministic, the real divisions, the required
// counts, centers of the two planning kinds as they were and facilities of
// every living-circle tier, households inside their grids, the river crossed
// only by bridges, and a connected, well-formed walk network.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { kindFromTags } from '../../kernel/kind-from-tags.ts';
import { kindsOfTier, tierOf } from '../../kernel/life-circle-standard.ts';
import type { ImportBundle, MultiPolygonCoords, Position } from '../../kernel/import-bundle.ts';
import { STEPS_FACTOR } from '../../kernel/walk-speed.ts';
import { demoCityChecksum } from './demo-city-checksum.ts';
import { buildDemoCity, type DemoCityStats } from './generate-demo-city.ts';

const SPEED_MPS = 4 / 3.6;

/**
 * SHA-256 of the neighborhood and governance center rows as the generator
 * made them before the facilities of the other kinds were added (commit
 * 1b419fa): those two kinds must not move, change name or order. Update it
 * only with a deliberate change to centers.ts.
 */
const PLANNING_CENTERS_SHA256 = 'c4ab76d009620def8e43e69ec1c3e02303c8143409ad7245226df617a9532dff';

function pointInMultiPolygon(geom: MultiPolygonCoords, lon: number, lat: number): boolean {
  // Even-odd over every ring: holes count as outside.
  let inside = false;
  for (const polygon of geom) {
    for (const ring of polygon) {
      for (let a = 0, b = ring.length - 1; a < ring.length; b = a++) {
        const [xa, ya] = ring[a];
        const [xb, yb] = ring[b];
        if (ya > lat !== yb > lat && lon < ((xb - xa) * (lat - ya)) / (yb - ya) + xa) inside = !inside;
      }
    }
  }
  return inside;
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

function segmentsCross(a: Position, b: Position, c: Position, d: Position): boolean {
  const d1 = orient(c[0], c[1], d[0], d[1], a[0], a[1]);
  const d2 = orient(c[0], c[1], d[0], d[1], b[0], b[1]);
  const d3 = orient(a[0], a[1], b[0], b[1], c[0], c[1]);
  const d4 = orient(a[0], a[1], b[0], b[1], d[0], d[1]);
  return d1 * d2 <= 0 && d3 * d4 <= 0 && !(d1 === 0 && d2 === 0);
}

/** Polygon edges bucketed by longitude, for segment and point queries against a long thin polygon. */
class PolygonIndex {
  private readonly buckets = new Map<number, [Position, Position][]>();
  readonly bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];

  constructor(
    geom: MultiPolygonCoords,
    private readonly width = 0.002,
  ) {
    for (const polygon of geom) {
      for (const ring of polygon) {
        for (let k = 0; k + 1 < ring.length; k++) {
          const a = ring[k];
          const b = ring[k + 1];
          this.bbox[0] = Math.min(this.bbox[0], a[0]);
          this.bbox[1] = Math.min(this.bbox[1], a[1]);
          this.bbox[2] = Math.max(this.bbox[2], a[0]);
          this.bbox[3] = Math.max(this.bbox[3], a[1]);
          for (let i = this.key(Math.min(a[0], b[0])); i <= this.key(Math.max(a[0], b[0])); i++) {
            let list = this.buckets.get(i);
            if (!list) this.buckets.set(i, (list = []));
            list.push([a, b]);
          }
        }
      }
    }
  }

  private key(lon: number): number {
    return Math.floor(lon / this.width);
  }

  contains(p: Position): boolean {
    if (p[0] < this.bbox[0] || p[0] > this.bbox[2] || p[1] < this.bbox[1] || p[1] > this.bbox[3]) return false;
    // Vertical ray upwards: count edges straddling the point's longitude above it.
    let inside = false;
    for (const [a, b] of this.buckets.get(this.key(p[0])) ?? []) {
      if (a[0] > p[0] !== b[0] > p[0]) {
        const lat = a[1] + ((b[1] - a[1]) * (p[0] - a[0])) / (b[0] - a[0]);
        if (lat > p[1]) inside = !inside;
      }
    }
    return inside;
  }

  intersects(a: Position, b: Position): boolean {
    if (Math.max(a[0], b[0]) < this.bbox[0] || Math.min(a[0], b[0]) > this.bbox[2]) return false;
    if (Math.max(a[1], b[1]) < this.bbox[1] || Math.min(a[1], b[1]) > this.bbox[3]) return false;
    if (this.contains(a) || this.contains(b)) return true;
    for (let i = this.key(Math.min(a[0], b[0])); i <= this.key(Math.max(a[0], b[0])); i++) {
      for (const [c, d] of this.buckets.get(i) ?? []) if (segmentsCross(a, b, c, d)) return true;
    }
    return false;
  }
}

function edgeVertices(bundle: ImportBundle, e: number): Position[] {
  const n = bundle.network;
  const out: Position[] = [];
  for (let v = n.geomOffset[e]; v < n.geomOffset[e + 1]; v++) out.push([n.coords[2 * v], n.coords[2 * v + 1]]);
  return out;
}

function equirectangularM(a: Position, b: Position): number {
  const m = (6371008.8 * Math.PI) / 180;
  const phi = (((a[1] + b[1]) / 2) * Math.PI) / 180;
  const dx = (b[0] - a[0]) * Math.cos(phi) * m;
  const dy = (b[1] - a[1]) * m;
  return Math.sqrt(dx * dx + dy * dy);
}

describe('generateDemoCity', () => {
  let bundle: ImportBundle;
  let stats: DemoCityStats;
  let checksum: string;

  beforeAll(() => {
    const t0 = performance.now();
    ({ bundle, stats } = buildDemoCity());
    const ms = performance.now() - t0;
    checksum = demoCityChecksum(bundle);
    console.log(`demo city generated in ${Math.round(ms)} ms`, JSON.stringify(stats.timingsMs));
    console.log(JSON.stringify({ ...stats, timingsMs: undefined, checksum }));
  });

  it('is deterministic: a second run gives the same counts and checksum', () => {
    const t0 = performance.now();
    const again = buildDemoCity();
    console.log(`second run in ${Math.round(performance.now() - t0)} ms`);
    expect({ ...again.stats, timingsMs: null }).toEqual({ ...stats, timingsMs: null });
    expect(demoCityChecksum(again.bundle)).toBe(checksum);
    // Another seed gives another city.
    expect(demoCityChecksum(buildDemoCity({ seed: 7 }).bundle)).not.toBe(checksum);
  });

  it('has the real city, 5 districts and 57 town-level units with their codes', () => {
    expect(bundle.city).toEqual({ code: '3503', name: '莆田市' });
    const districts = bundle.admin.filter((a) => a.level === 'district');
    const streets = bundle.admin.filter((a) => a.level === 'street');
    expect(districts.map((d) => d.code).sort()).toEqual(['350302', '350303', '350304', '350305', '350322']);
    expect(districts.every((d) => d.parentCode === '3503')).toBe(true);
    expect(districts.find((d) => d.code === '350304')?.name).toBe('荔城区');
    expect(streets).toHaveLength(57);
    expect(new Set(streets.map((s) => s.code)).size).toBe(57);
    expect(streets.find((s) => s.code === '350302001')?.name).toBe('龙桥街道');
    expect(streets.find((s) => s.code === '350322204')?.name).toBe('菜溪乡');
    expect(streets.find((s) => s.code === '350305108')?.name).toBe('湄洲镇');
    for (const s of streets) expect(s.parentCode).toBe(s.code.slice(0, 6));
    // Every admin unit has a boundary; communities extend their street's code.
    const communities = bundle.admin.filter((a) => a.level === 'community');
    expect(communities.length).toBeGreaterThan(300);
    for (const c of communities) {
      expect(c.code).toMatch(/^\d{12}$/);
      expect(c.parentCode).toBe(c.code.slice(0, 9));
    }
    expect(communities.some((c) => c.code === '350302001001')).toBe(true);
    for (const a of bundle.admin) expect(a.geom?.length ?? 0).toBeGreaterThan(0);
  });

  it('has 2,408 grids with 3,096 officers and their parent chains', () => {
    expect(bundle.grids).toHaveLength(2408);
    expect(new Set(bundle.grids.map((g) => g.code)).size).toBe(2408);
    let officers = 0;
    const communityCodes = new Set(bundle.admin.filter((a) => a.level === 'community').map((a) => a.code));
    for (const g of bundle.grids) {
      expect(g.officers).toBeGreaterThanOrEqual(1);
      officers += g.officers;
      expect(g.geom).toHaveLength(1);
      expect(communityCodes.has(g.communityCode!)).toBe(true);
      expect(g.communityCode!.slice(0, 9)).toBe(g.streetCode);
      expect(g.streetCode!.slice(0, 6)).toBe(g.districtCode);
      expect(g.code.startsWith(g.communityCode!)).toBe(true);
    }
    expect(officers).toBe(3096);
  });

  it('has hundreds of centers of both planning kinds, first and as they were', () => {
    const neighbourhood = bundle.centers.filter((c) => c.kind === 'neighborhood');
    const governance = bundle.centers.filter((c) => c.kind === 'governance');
    const planning = bundle.centers.filter((c) => c.kind === 'neighborhood' || c.kind === 'governance');
    const hash = createHash('sha256');
    for (const c of planning) hash.update(JSON.stringify([c.name, c.kind, c.services, c.source, c.sourceId, c.lon, c.lat]) + '\n');
    expect(hash.digest('hex')).toBe(PLANNING_CENTERS_SHA256);
    expect(bundle.centers.slice(0, planning.length)).toEqual(planning);
    expect(neighbourhood.length).toBeGreaterThan(100);
    expect(governance.length).toBeGreaterThan(57);
    for (const c of bundle.centers) {
      expect(c.source).toBe('demo');
      expect(c.services.length).toBeGreaterThan(0);
    }
    expect(neighbourhood.every((c) => c.name.endsWith('党群服务中心') && c.services.includes('party_building'))).toBe(true);
    expect(governance.every((c) => c.name.endsWith('综治中心'))).toBe(true);
  });

  it('has facilities of every tier, named so that their names say their kinds', () => {
    expect(bundle.centers.length).toBeGreaterThan(1000);
    expect(bundle.centers.length).toBeLessThan(5000);
    expect(new Set(bundle.centers.map((c) => c.sourceId)).size).toBe(bundle.centers.length);
    // Every kind belongs to a tier, and each tier has at least two kinds in the city.
    for (const kind of Object.keys(stats.centers)) expect(tierOf(kind), kind).not.toBeNull();
    for (const minutes of [5, 10, 15] as const) {
      expect(kindsOfTier(minutes).filter((k) => (stats.centers[k] ?? 0) > 0).length, `${minutes}-minute kinds`).toBeGreaterThanOrEqual(2);
    }
    // Lower tiers are more numerous: the average count of a kind falls with the tier.
    const perKind = (minutes: 5 | 10 | 15) => {
      const counts = kindsOfTier(minutes).map((k) => stats.centers[k] ?? 0).filter((n) => n > 0);
      return counts.reduce((a, b) => a + b, 0) / counts.length;
    };
    expect(perKind(5)).toBeGreaterThan(perKind(10));
    expect(perKind(10)).toBeGreaterThan(perKind(15));
    // The name alone (no tags) gives every center its kind, by the standard's name patterns.
    const misread = bundle.centers.filter((c) => kindFromTags({}, c.name) !== c.kind).map((c) => `${c.name}: ${c.kind}`);
    expect(misread).toEqual([]);
    expect(bundle.centers.every((c) => c.source === 'demo' && c.services.length > 0)).toBe(true);
  });

  it('puts lower-tier facilities nearer to households (straight line, seeded sample)', () => {
    const h = bundle.households;
    const m = (6371008.8 * Math.PI) / 180;
    const kx = Math.cos((25.44 * Math.PI) / 180) * m;
    let state = 12345;
    const sample = Array.from({ length: 1500 }, () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % h.count;
    });
    const meanNearest = (kind: string): number => {
      const sites = bundle.centers.filter((c) => c.kind === kind);
      let sum = 0;
      for (const u of sample) {
        let best = Infinity;
        for (const c of sites) best = Math.min(best, ((c.lon - h.lon[u]) * kx) ** 2 + ((c.lat - h.lat[u]) * m) ** 2);
        sum += Math.sqrt(best);
      }
      return sum / sample.length;
    };
    const kindergarten = meanNearest('kindergarten');
    const primary = meanNearest('primary_school');
    const middle = meanNearest('middle_school');
    console.log(`mean straight-line metres to the nearest kindergarten ${kindergarten.toFixed(0)}, primary school ${primary.toFixed(0)}, middle school ${middle.toFixed(0)}`);
    expect(kindergarten).toBeLessThan(primary);
    expect(primary).toBeLessThan(middle);
  });

  it('has a plausible number of households, each inside its grid', () => {
    const h = bundle.households;
    let total = 0;
    for (let u = 0; u < h.count; u++) total += h.households[u];
    expect(total).toBeGreaterThan(900_000);
    expect(total).toBeLessThan(1_100_000);
    expect(h.count).toBeGreaterThan(40_000);
    expect(h.count).toBeLessThanOrEqual(120_000);
    expect(h.sourceIds[0]).toBe('demo/0');
    // Plain checks in the loops (one expect per row would dominate the run time).
    const problems: string[] = [];
    for (let u = 0; u < h.count && problems.length < 5; u++) {
      const g = h.gridIndex[u];
      if (!(g >= 0 && g < bundle.grids.length)) problems.push(`household ${u}: grid index ${g}`);
      else if (!pointInMultiPolygon(bundle.grids[g].geom, h.lon[u], h.lat[u])) problems.push(`household ${u} outside grid ${bundle.grids[g].code}`);
      if (!(h.households[u] > 0)) problems.push(`household ${u}: ${h.households[u]} households`);
      if (h.persons[u] !== Math.round(h.households[u] * 2.8)) problems.push(`household ${u}: persons ${h.persons[u]}`);
    }
    expect(problems).toEqual([]);
  });

  it('puts every household within 30 m of a street', () => {
    // Segments bucketed on a ~100 m grid; distances in a local metric frame.
    const n = bundle.network;
    const m = (6371008.8 * Math.PI) / 180;
    const kx = Math.cos((25.44 * Math.PI) / 180) * m;
    const cell = 100;
    const buckets = new Map<number, number[]>();
    // Small integer keys (offsets from a corner south-west of the city).
    const key = (i: number, j: number) => i * 8192 + j;
    const X = (lon: number) => (lon - 118.4) * kx;
    const Y = (lat: number) => (lat - 25.0) * m;
    // Vertex v to v+1 is a segment unless v is an edge's last vertex.
    const isLast = new Uint8Array(n.coords.length / 2);
    for (let e = 0; e < n.edgeCount; e++) isLast[n.geomOffset[e + 1] - 1] = 1;
    for (let v = 0; v < n.coords.length / 2 - 1; v++) {
      if (isLast[v]) continue;
      const ax = X(n.coords[2 * v]);
      const ay = Y(n.coords[2 * v + 1]);
      const bx = X(n.coords[2 * v + 2]);
      const by = Y(n.coords[2 * v + 3]);
      for (let i = Math.floor(Math.min(ax, bx) / cell); i <= Math.floor(Math.max(ax, bx) / cell); i++) {
        for (let j = Math.floor(Math.min(ay, by) / cell); j <= Math.floor(Math.max(ay, by) / cell); j++) {
          let list = buckets.get(key(i, j));
          if (!list) buckets.set(key(i, j), (list = []));
          list.push(v);
        }
      }
    }
    const distance = (lon: number, lat: number): number => {
      const x = X(lon);
      const y = Y(lat);
      let best = Infinity;
      for (let i = Math.floor(x / cell) - 1; i <= Math.floor(x / cell) + 1; i++) {
        for (let j = Math.floor(y / cell) - 1; j <= Math.floor(y / cell) + 1; j++) {
          const list = buckets.get(key(i, j));
          if (!list) continue;
          for (const v of list) {
            const ax = X(n.coords[2 * v]);
            const ay = Y(n.coords[2 * v + 1]);
            const dx = X(n.coords[2 * v + 2]) - ax;
            const dy = Y(n.coords[2 * v + 3]) - ay;
            const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
            const ex = ax + t * dx - x;
            const ey = ay + t * dy - y;
            best = Math.min(best, Math.sqrt(ex * ex + ey * ey));
          }
        }
      }
      return best;
    };
    const h = bundle.households;
    let far = 0;
    let worst = 0;
    for (let u = 0; u < h.count; u++) {
      const d = distance(h.lon[u], h.lat[u]);
      worst = Math.max(worst, d);
      if (d > 30) far++;
    }
    for (const c of bundle.centers) if (distance(c.lon, c.lat) > 30) far++;
    console.log(`farthest household from a street: ${worst.toFixed(1)} m`);
    expect(far).toBe(0);
  });

  it('keeps streets and households out of the river except at a few bridges', () => {
    const river = bundle.water.find((w) => w.kind === 'river');
    expect(river?.name).toBe('木兰溪');
    if (river?.geom.type !== 'MultiPolygon') throw new Error('river is not a polygon');
    const index = new PolygonIndex(river.geom.coordinates);
    const n = bundle.network;
    const crossing: number[] = [];
    for (let e = 0; e < n.edgeCount; e++) {
      const vs = edgeVertices(bundle, e);
      for (let k = 0; k + 1 < vs.length; k++) {
        if (index.intersects(vs[k], vs[k + 1])) {
          crossing.push(e);
          break;
        }
      }
    }
    console.log(`edges crossing the river: ${crossing.length} (bridges: ${stats.bridges})`);
    expect(crossing.length).toBeGreaterThan(0);
    expect(crossing.length).toBe(stats.bridges);
    expect(crossing.length).toBeLessThanOrEqual(12);
    for (const e of crossing) expect(['primary', 'secondary']).toContain(n.classNames[n.classIndex[e]]);
    const h = bundle.households;
    let wet = 0;
    for (let u = 0; u < h.count; u++) if (index.contains([h.lon[u], h.lat[u]])) wet++;
    for (const c of bundle.centers) if (index.contains([c.lon, c.lat])) wet++;
    expect(wet).toBe(0);
  });

  it('has a connected, well-formed walk network that is not a lattice', () => {
    const n = bundle.network;
    expect(n.nodeCount).toBeGreaterThan(30_000);
    expect(n.nodeCount).toBeLessThanOrEqual(150_000);
    expect(n.geomOffset).toHaveLength(n.edgeCount + 1);
    const pairs = new Set<string>();
    const parent = new Int32Array(n.nodeCount).map((_, i) => i);
    const find = (i: number): number => {
      while (parent[i] !== i) i = parent[i] = parent[parent[i]];
      return i;
    };
    const classes = new Set<string>();
    const stepsIndex = n.classNames.indexOf('steps');
    const problems: string[] = [];
    const problem = (e: number, what: string) => {
      if (problems.length < 5) problems.push(`edge ${e}: ${what}`);
    };
    for (let e = 0; e < n.edgeCount; e++) {
      const a = n.source[e];
      const b = n.target[e];
      if (a === b || a < 0 || b < 0 || a >= n.nodeCount || b >= n.nodeCount) problem(e, `bad ends ${a} ${b}`);
      const key = a < b ? `${a}-${b}` : `${b}-${a}`;
      if (pairs.has(key)) problem(e, 'duplicate');
      pairs.add(key);
      const vs = edgeVertices(bundle, e);
      if (vs.length < 2) problem(e, 'fewer than 2 vertices');
      if (vs[0][0] !== n.nodeLon[a] || vs[0][1] !== n.nodeLat[a]) problem(e, 'first vertex is not the source node');
      const last = vs[vs.length - 1];
      if (last[0] !== n.nodeLon[b] || last[1] !== n.nodeLat[b]) problem(e, 'last vertex is not the target node');
      let len = 0;
      for (let k = 0; k + 1 < vs.length; k++) len += equirectangularM(vs[k], vs[k + 1]);
      if (!(n.lengthM[e] > 0.5)) problem(e, `length ${n.lengthM[e]}`);
      if (Math.abs(n.lengthM[e] - len) > 1e-6 * len) problem(e, `length ${n.lengthM[e]} vs geometry ${len}`);
      const factor = n.classIndex[e] === stepsIndex ? STEPS_FACTOR : 1;
      if (Math.abs(n.cost[e] - (n.lengthM[e] / SPEED_MPS) * factor) > 1e-6) problem(e, `cost ${n.cost[e]}`);
      if (n.reverseCost[e] !== n.cost[e]) problem(e, 'one-way');
      classes.add(n.classNames[n.classIndex[e]]);
      parent[find(a)] = find(b);
    }
    expect(problems).toEqual([]);
    for (const c of ['primary', 'secondary', 'tertiary', 'residential', 'service', 'footway', 'path', 'steps']) expect(classes).toContain(c);
    const sizes = new Map<number, number>();
    for (let i = 0; i < n.nodeCount; i++) sizes.set(find(i), (sizes.get(find(i)) ?? 0) + 1);
    const largest = Math.max(...sizes.values());
    console.log(`largest component: ${largest} of ${n.nodeCount} nodes (${sizes.size} components)`);
    expect(largest / n.nodeCount).toBeGreaterThanOrEqual(0.95);
    // Not a lattice: many dead ends and many curved edges.
    const degree = new Int32Array(n.nodeCount);
    for (let e = 0; e < n.edgeCount; e++) {
      degree[n.source[e]]++;
      degree[n.target[e]]++;
    }
    let deadEnds = 0;
    for (const d of degree) if (d === 1) deadEnds++;
    let curved = 0;
    for (let e = 0; e < n.edgeCount; e++) if (n.geomOffset[e + 1] - n.geomOffset[e] > 2) curved++;
    expect(deadEnds / n.nodeCount).toBeGreaterThan(0.03);
    expect(curved / n.edgeCount).toBeGreaterThan(0.03);
  });

  it('places the city at Putian', () => {
    const n = bundle.network;
    let lon = 0;
    let lat = 0;
    let outside = 0;
    for (let i = 0; i < n.nodeCount; i++) {
      lon += n.nodeLon[i];
      lat += n.nodeLat[i];
      if (n.nodeLon[i] < 118.6 || n.nodeLon[i] > 119.4 || n.nodeLat[i] < 25.2 || n.nodeLat[i] > 25.7) outside++;
    }
    expect(outside).toBe(0);
    expect(Math.abs(lon / n.nodeCount - 119.0)).toBeLessThan(0.1);
    expect(Math.abs(lat / n.nodeCount - 25.44)).toBeLessThan(0.1);
  });
});
