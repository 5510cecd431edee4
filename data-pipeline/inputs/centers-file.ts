/**
 * Centers for a full import, from a CSV, an .xlsx sheet or a GeoJSON of
 * Point features, replacing the centers found in OSM. Columns by the header
 * dictionary (column-names.ts: 名称/name, 类型/kind, 经度/lon, 纬度/lat,
 * 服务/services, 编码/code); services separated by |, ; or ,. Positions are
 * converted to WGS84 by `toWgs84` (the file's --crs). Every bad row is
 * reported at once (RowsRefused), and then nothing is imported. A full
 * import defines the city, so besides the standard's kinds it takes any
 * well-formed kind id.
 */
import type { ToWgs84 } from './chinese-crs.ts';
import type { CenterRow } from '../../kernel/import-bundle.ts';
import { kindResolver } from './center-kinds.ts';
import { checkCenterRows } from './center-rows.ts';
import { RowsRefused } from './row-problems.ts';
import { readTable } from './table-file.ts';

const asIs: ToWgs84 = (lon, lat) => [lon, lat];

export async function readCentersFile(file: string, toWgs84: ToWgs84 = asIs, sheet?: string): Promise<CenterRow[]> {
  const table = await readTable(file, 'centers', { sheet, toWgs84 });
  const checked = checkCenterRows(table, { toWgs84, kinds: kindResolver([], true), codeRequired: false });
  if (checked.problems.length > 0) throw new RowsRefused(file, checked.problems, checked.counts);
  return checked.centers.map((c) => ({
    name: c.name,
    kind: c.kind,
    services: c.services ?? [],
    source: 'file',
    sourceId: c.code ?? c.where,
    lon: c.lon,
    lat: c.lat,
  }));
}
