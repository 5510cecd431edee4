/**
 * Putian's real administrative divisions: the city, its 5 county-level
 * districts and its 57 town-level units (subdistricts, towns, townships and
 * three special units), with their official names and division codes.
 *
 * Facts typed in from the National Bureau of Statistics division codes as
 * published in the modood/Administrative-divisions-of-China dataset
 * (areas.csv / streets.csv). Kept as a constant so the demo city needs no
 * data file at run time.
 */

export interface DistrictFact {
  code: string;
  name: string;
}

export interface StreetFact {
  code: string;
  name: string;
  districtCode: string;
}

/** 'subdistrict' = 街道, 'town' = 镇, 'township' = 乡, 'other' = development zone, farm, management bureau. */
export type StreetKind = 'subdistrict' | 'town' | 'township' | 'other';

export const PUTIAN_CITY = { code: '3503', name: '莆田市' } as const;

export const PUTIAN_DISTRICTS: readonly DistrictFact[] = [
  { code: '350302', name: '城厢区' },
  { code: '350303', name: '涵江区' },
  { code: '350304', name: '荔城区' },
  { code: '350305', name: '秀屿区' },
  { code: '350322', name: '仙游县' },
];

export const PUTIAN_STREETS: readonly StreetFact[] = [
  { code: '350302001', name: '龙桥街道', districtCode: '350302' },
  { code: '350302002', name: '凤凰山街道', districtCode: '350302' },
  { code: '350302003', name: '霞林街道', districtCode: '350302' },
  { code: '350302100', name: '常太镇', districtCode: '350302' },
  { code: '350302101', name: '华亭镇', districtCode: '350302' },
  { code: '350302102', name: '灵川镇', districtCode: '350302' },
  { code: '350302103', name: '东海镇', districtCode: '350302' },
  { code: '350303001', name: '涵东街道', districtCode: '350303' },
  { code: '350303002', name: '涵西街道', districtCode: '350303' },
  { code: '350303100', name: '三江口镇', districtCode: '350303' },
  { code: '350303101', name: '白塘镇', districtCode: '350303' },
  { code: '350303102', name: '国欢镇', districtCode: '350303' },
  { code: '350303103', name: '梧塘镇', districtCode: '350303' },
  { code: '350303104', name: '江口镇', districtCode: '350303' },
  { code: '350303105', name: '萩芦镇', districtCode: '350303' },
  { code: '350303106', name: '白沙镇', districtCode: '350303' },
  { code: '350303107', name: '庄边镇', districtCode: '350303' },
  { code: '350303108', name: '新县镇', districtCode: '350303' },
  { code: '350303200', name: '大洋乡', districtCode: '350303' },
  { code: '350303500', name: '赤港开发区', districtCode: '350303' },
  { code: '350304001', name: '镇海街道', districtCode: '350304' },
  { code: '350304002', name: '拱辰街道', districtCode: '350304' },
  { code: '350304100', name: '西天尾镇', districtCode: '350304' },
  { code: '350304101', name: '黄石镇', districtCode: '350304' },
  { code: '350304102', name: '新度镇', districtCode: '350304' },
  { code: '350304103', name: '北高镇', districtCode: '350304' },
  { code: '350305100', name: '笏石镇', districtCode: '350305' },
  { code: '350305101', name: '东庄镇', districtCode: '350305' },
  { code: '350305102', name: '忠门镇', districtCode: '350305' },
  { code: '350305103', name: '东埔镇', districtCode: '350305' },
  { code: '350305104', name: '东峤镇', districtCode: '350305' },
  { code: '350305105', name: '埭头镇', districtCode: '350305' },
  { code: '350305106', name: '平海镇', districtCode: '350305' },
  { code: '350305107', name: '南日镇', districtCode: '350305' },
  { code: '350305108', name: '湄洲镇', districtCode: '350305' },
  { code: '350305109', name: '山亭镇', districtCode: '350305' },
  { code: '350305110', name: '月塘镇', districtCode: '350305' },
  { code: '350305400', name: '前沁农场', districtCode: '350305' },
  { code: '350305401', name: '后海管理局', districtCode: '350305' },
  { code: '350322001', name: '鲤城街道', districtCode: '350322' },
  { code: '350322100', name: '枫亭镇', districtCode: '350322' },
  { code: '350322101', name: '榜头镇', districtCode: '350322' },
  { code: '350322102', name: '郊尾镇', districtCode: '350322' },
  { code: '350322103', name: '度尾镇', districtCode: '350322' },
  { code: '350322104', name: '鲤南镇', districtCode: '350322' },
  { code: '350322105', name: '赖店镇', districtCode: '350322' },
  { code: '350322106', name: '盖尾镇', districtCode: '350322' },
  { code: '350322107', name: '园庄镇', districtCode: '350322' },
  { code: '350322108', name: '大济镇', districtCode: '350322' },
  { code: '350322109', name: '龙华镇', districtCode: '350322' },
  { code: '350322110', name: '钟山镇', districtCode: '350322' },
  { code: '350322111', name: '游洋镇', districtCode: '350322' },
  { code: '350322200', name: '西苑乡', districtCode: '350322' },
  { code: '350322201', name: '石苍乡', districtCode: '350322' },
  { code: '350322202', name: '社硎乡', districtCode: '350322' },
  { code: '350322203', name: '书峰乡', districtCode: '350322' },
  { code: '350322204', name: '菜溪乡', districtCode: '350322' },
];

/** The kind of a town-level unit, read from its official name's suffix. */
export function streetKind(name: string): StreetKind {
  if (name.endsWith('街道')) return 'subdistrict';
  if (name.endsWith('镇')) return 'town';
  if (name.endsWith('乡')) return 'township';
  return 'other';
}
