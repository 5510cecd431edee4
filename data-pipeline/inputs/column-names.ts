/**
 * The header dictionary of the spreadsheet inputs, as data: every field a
 * centers, households or grid attributes table may carry, with the column
 * headers that name it in Chinese and in English. The CSV and the xlsx
 * readers (table-file.ts) and the GeoJSON properties go through this one
 * dictionary, so a header means the same in every format; README lists it
 * (a test checks that every alias here is there).
 *
 * Headers are compared after `normalHeader`: full-width characters as ASCII
 * (NFKC), case ignored, a trailing unit or note in brackets dropped
 * ("经度(GCJ-02)", "户数（户）"), spaces and hyphens as underscores.
 */

export type Field =
  | 'code'
  | 'name'
  | 'kind'
  | 'lon'
  | 'lat'
  | 'services'
  | 'households'
  | 'persons'
  | 'officers'
  | 'community_code'
  | 'street_code'
  | 'district_code';

/** The headers of each field: Chinese first (the product's language), then English. */
export const COLUMN_NAMES: Readonly<Record<Field, { zh: readonly string[]; en: readonly string[] }>> = {
  code: { zh: ['编码', '代码', '编号', '网格编码', '网格代码', '中心编码'], en: ['code', 'id'] },
  name: { zh: ['名称', '名字', '网格名称', '中心名称'], en: ['name'] },
  kind: { zh: ['类型', '类别', '种类'], en: ['kind', 'type'] },
  lon: { zh: ['经度'], en: ['lon', 'lng', 'longitude', 'x'] },
  lat: { zh: ['纬度'], en: ['lat', 'latitude', 'y'] },
  services: { zh: ['服务', '服务项目'], en: ['services'] },
  households: { zh: ['户数'], en: ['households'] },
  persons: { zh: ['人口', '人数', '人口数'], en: ['persons', 'population'] },
  officers: { zh: ['网格员', '网格员数', '网格员人数'], en: ['officers'] },
  community_code: { zh: ['社区代码', '社区编码', '所属社区代码'], en: ['community_code'] },
  street_code: { zh: ['街道代码', '街道编码', '乡镇街道代码'], en: ['street_code'] },
  district_code: { zh: ['区县代码', '区代码'], en: ['district_code'] },
};

/** What each kind of table takes: the fields it needs and those it may have. */
export const TABLE_FIELDS = {
  centers: { required: ['name', 'kind', 'lon', 'lat'], optional: ['services', 'code'] },
  households: { required: ['lon', 'lat', 'households'], optional: ['persons', 'code'] },
  // Grid attributes: matched to the stored grids by code. households/persons
  // are read only to be refused for now (spreading grid totals, issue 14 item 6).
  grids: { required: ['code'], optional: ['name', 'officers', 'community_code', 'street_code', 'district_code', 'households', 'persons'] },
} as const satisfies Record<string, { required: readonly Field[]; optional: readonly Field[] }>;

export type TableKind = keyof typeof TABLE_FIELDS;

/** A header as the dictionary compares it. */
export function normalHeader(header: string): string {
  return header
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/\s*\([^()]*\)\s*$/, '')
    .replace(/[\s-]+/g, '_');
}

const FIELD_OF = new Map<string, Field>();
for (const [field, names] of Object.entries(COLUMN_NAMES) as [Field, (typeof COLUMN_NAMES)[Field]][]) {
  for (const name of [...names.zh, ...names.en]) FIELD_OF.set(normalHeader(name), field);
}

/** The field a header names, or undefined for a column the dictionary does not know. */
export function fieldOfHeader(header: string): Field | undefined {
  return FIELD_OF.get(normalHeader(header));
}

/** "名称/name" for messages: a field's first Chinese and English header. */
export function fieldLabel(field: Field): string {
  return `${COLUMN_NAMES[field].zh[0]}/${COLUMN_NAMES[field].en[0]}`;
}
