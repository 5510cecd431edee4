// Kinds from tags and names: a table of real-style Chinese (and a few OSM)
// elements, with and without tags, and the kind each must get. Tags win
// over names where a specific tag speaks; generic or missing tags leave it to
// the name's suffix; tags that say "something else" keep names out.
import { describe, expect, it } from 'vitest';
import { kindFromName, kindFromTags, nameCore } from './kind-from-tags.ts';
import { tierOf } from './life-circle-standard.ts';

type Row = [tags: Record<string, string>, expected: string | null, why: string];

const NAMES_ONLY: Row[] = [
  [{ name: '东岩村党群服务中心' }, 'neighborhood', 'a village Party Building + center'],
  [{ name: '霞坂社区党群服务中心（新时代文明实践站）' }, 'neighborhood', 'a bracketed second name is a qualifier'],
  [{ name: '梅峰村新时代文明实践站' }, 'neighborhood', 'New Era civilisation practice station'],
  [{ name: '拱辰街道综治中心' }, 'governance', 'Comprehensive Management center'],
  [{ name: '荔城区社会治安综合治理中心' }, 'governance', 'the long form'],
  [{ name: '镇海街道社区卫生服务中心' }, 'community_health', 'community health service center'],
  [{ name: '华亭镇卫生院' }, 'community_health', "a town's health center"],
  [{ name: '东岩社区卫生服务站' }, 'health_station', 'a 5-minute health station, not the center'],
  [{ name: '龙桥村卫生室' }, 'health_station', 'a village clinic'],
  [{ name: '莆田市第一医院' }, 'hospital', 'a hospital'],
  [{ name: '霞林街道养老院' }, 'elderly_care', 'a care home'],
  [{ name: '西天尾镇敬老院' }, 'elderly_care', "a town's care home"],
  [{ name: '凤山社区老年人日间照料中心' }, 'elderly_day_care', 'day care'],
  [{ name: '玉湖社区居家养老服务照料中心' }, 'elderly_day_care', "Fujian's name for day care"],
  [{ name: '荔园幼儿园' }, 'kindergarten', 'a kindergarten'],
  [{ name: '城南中心小学附属幼儿园' }, 'kindergarten', 'the suffix says what it is, not the school it belongs to'],
  [{ name: '东海镇中心小学' }, 'primary_school', '中心小学 is a primary school'],
  [{ name: '莆田第二中学附属小学' }, 'primary_school', 'a primary school attached to a middle school'],
  [{ name: '莆田第一中学' }, 'middle_school', 'a middle school'],
  [{ name: '荔城区实验小学（东校区）' }, 'primary_school', 'campus qualifier in brackets'],
  [{ name: '华林中学北校区' }, 'middle_school', 'campus qualifier without brackets'],
  [{ name: '福建师大附中' }, 'middle_school', '附中'],
  [{ name: '梅园农贸市场' }, 'fresh_market', 'a fresh market'],
  [{ name: '北磨菜市场' }, 'fresh_market', 'a vegetable market'],
  [{ name: '美宜佳便利店（东岩店）' }, 'convenience', 'a chain shop and its branch'],
  [{ name: '百姓大药房' }, 'pharmacy', 'a pharmacy'],
  [{ name: '拱辰街道社区服务中心' }, 'community_centre', 'the street-level service center'],
  [{ name: '东岩社区居民委员会' }, 'community_station', 'a residents committee'],
  [{ name: '华亭镇综合文化站' }, 'culture', "a town's cultural center"],
  [{ name: '城厢区图书馆' }, 'culture', 'a library'],
  [{ name: '莆田第一中学东门' }, null, 'a gate is no school'],
  [{ name: '东岩小学综合楼' }, null, "a school's building is no school of its own"],
  [{ name: '某某有限公司' }, null, 'a company'],
  [{ name: '分校' }, null, 'a qualifier never takes the whole name'],
  [{}, null, 'nothing at all'],
];

const GENERIC_TAGS: Row[] = [
  [{ amenity: 'community_centre', name: '东岩村党群服务中心' }, 'neighborhood', 'issue 10: not a generic community centre'],
  [{ amenity: 'community_centre', name: '拱辰街道综治中心' }, 'governance', 'a governance center tagged as a community centre'],
  [{ amenity: 'community_centre', name: 'Maison des associations' }, 'community_centre', 'no pattern: the generic kind'],
  [{ amenity: 'community_centre' }, 'community_centre', 'no name: the generic kind'],
  [{ amenity: 'townhall', name: '龙桥村党群服务中心' }, 'neighborhood', 'a village committee building used as the center'],
  [{ amenity: 'townhall', name: 'Mairie de Monaco' }, 'townhall', 'a town hall'],
  [{ amenity: 'school', name: '东岩小学' }, 'primary_school', 'a school without a level, named a primary school'],
  [{ amenity: 'school', name: '莆田第五中学' }, 'middle_school', 'a school without a level, named a middle school'],
  [{ amenity: 'school', name: 'École de la Condamine' }, 'school', 'neither level nor pattern'],
  [{ amenity: 'clinic', name: '镇海街道社区卫生服务中心' }, 'community_health', 'a clinic tag on a health center'],
  [{ amenity: 'clinic', name: '龙桥村卫生室' }, 'health_station', 'a clinic tag on a village clinic'],
  [{ amenity: 'hospital', name: '拱辰社区卫生服务中心' }, 'community_health', 'mapped as a hospital, named a health center'],
  [{ healthcare: 'centre' }, 'community_health', 'healthcare=centre'],
  [{ amenity: 'social_facility', 'social_facility:for': 'senior', name: '凤山社区日间照料中心' }, 'elderly_day_care', 'senior facility named day care'],
  [{ amenity: 'social_facility', 'social_facility:for': 'senior' }, 'elderly_care', 'senior facility without a name'],
  [{ amenity: 'social_facility' }, 'social_facility', 'of no known type'],
  [{ shop: 'yes', name: '惠民便利店' }, 'convenience', 'shop=yes says nothing'],
  [{ shop: 'yes', name: '某某五金店' }, null, 'shop=yes with no pattern is no facility'],
  [{ building: 'yes', name: '东岩小学' }, 'primary_school', 'a building is not a kind: the name decides'],
  [{ office: 'government', name: '拱辰街道综治中心' }, 'governance', 'a government office named a governance center'],
  [{ name: 'Putian No. 1 Middle School', 'name:zh': '莆田第一中学' }, 'middle_school', 'name:zh when name=* says nothing'],
];

const SPECIFIC_TAGS: Row[] = [
  [{ amenity: 'kindergarten', name: '城南小学附属幼儿园' }, 'kindergarten', 'tag and name agree'],
  [{ amenity: 'kindergarten', name: '东岩小学' }, 'kindergarten', "a kindergarten named after its school: the tag wins"],
  [{ amenity: 'school', 'isced:level': '1', name: '华林中学' }, 'primary_school', 'isced:level states the level: the tag wins over 中学'],
  [{ amenity: 'school', 'isced:level': '2', name: '东岩小学' }, 'middle_school', 'isced:level 2 over 小学'],
  [{ amenity: 'school', 'isced:level': '3' }, 'middle_school', 'upper secondary (高中) counts as 中学'],
  [{ amenity: 'school', 'isced:level': '1;2', name: '九年一贯制学校' }, 'primary_school', 'a 1-9 school: its lower level'],
  [{ amenity: 'school', 'isced:level': '0' }, 'kindergarten', 'pre-primary'],
  [{ amenity: 'childcare' }, 'kindergarten', '托儿所 counts with kindergartens'],
  [{ amenity: 'pharmacy', name: '东岩社区卫生服务站' }, 'pharmacy', 'a pharmacy named after the station it is in'],
  [{ amenity: 'library', name: '霞林社区党群服务中心' }, 'culture', 'a library in a center: the tag wins'],
  [{ amenity: 'marketplace', name: '梅园便利店' }, 'fresh_market', 'a marketplace'],
  [{ shop: 'convenience', name: '城南菜市场' }, 'convenience', 'a shop named after the market it faces'],
  [{ shop: 'supermarket', name: '永辉超市' }, 'fresh_market', 'a supermarket: 生鲜超市 of the standard'],
  [{ shop: 'greengrocer' }, 'convenience', '菜店 is a 便利店 of B.0.3'],
  [{ amenity: 'nursing_home' }, 'elderly_care', 'the old nursing home tag'],
  [{ amenity: 'social_facility', social_facility: 'nursing_home' }, 'elderly_care', 'nursing home'],
  [{ amenity: 'social_facility', social_facility: 'day_care', 'social_facility:for': 'senior' }, 'elderly_day_care', 'senior day care'],
  [{ amenity: 'post_office' }, 'post', 'a post office'],
  [{ amenity: 'police', name: 'Sûreté publique' }, 'police', 'a police station'],
  [{ leisure: 'park', name: '东岩公园' }, 'park', 'a park'],
];

const SOMETHING_ELSE: Row[] = [
  [{ highway: 'residential', name: '中学路' }, null, 'a street named after a school'],
  [{ highway: 'bus_stop', name: '东岩小学站' }, null, 'a bus stop named after a school'],
  [{ public_transport: 'platform', name: '第一医院' }, null, 'a platform'],
  [{ amenity: 'parking', name: '莆田第一中学停车场' }, null, 'another amenity'],
  [{ amenity: 'restaurant', name: '菜市场' }, null, 'a restaurant whatever its name'],
  [{ amenity: 'bench' }, null, 'a bench'],
  [{ shop: 'bakery', name: '东岩便利店' }, null, 'a bakery is a shop of another kind'],
  [{ entrance: 'main', name: '东岩小学' }, null, "a school's entrance"],
  [{ landuse: 'residential', name: '东岩幼儿园' }, null, 'a residential area named after a kindergarten'],
  [{ place: 'village', name: '东岩村委会' }, null, 'a place node'],
];

describe('kindFromTags', () => {
  const check = (rows: Row[]) => {
    const wrong = rows
      .map(([tags, expected, why]) => ({ tags, expected, got: kindFromTags(tags), why }))
      .filter((r) => r.got !== r.expected);
    expect(wrong).toEqual([]);
  };

  it('names only: the suffix says the kind', () => check(NAMES_ONLY));
  it('generic tags: the name decides, else the tag kind', () => check(GENERIC_TAGS));
  it('specific tags: the tag wins over the name', () => check(SPECIFIC_TAGS));
  it('tags of something else: no facility, whatever the name', () => check(SOMETHING_ELSE));

  it('every kind the table expects belongs to a tier', () => {
    for (const [, expected] of [...NAMES_ONLY, ...GENERIC_TAGS, ...SPECIFIC_TAGS]) if (expected !== null) expect(tierOf(expected), expected).not.toBeNull();
  });

  it('takes an explicit name over the tags', () => {
    expect(kindFromTags({ amenity: 'community_centre', name: 'x' }, '东岩村党群服务中心')).toBe('neighborhood');
    expect(kindFromTags({ amenity: 'community_centre', name: '东岩村党群服务中心' }, '')).toBe('community_centre');
  });
});

describe('names', () => {
  it('cuts trailing qualifiers, repeatedly, never the whole name', () => {
    expect(nameCore('  美宜佳便利店（东岩店） ')).toBe('美宜佳便利店');
    expect(nameCore('荔城区实验小学东校区(临时)')).toBe('荔城区实验小学');
    expect(nameCore('城南幼儿园分园')).toBe('城南幼儿园');
    expect(nameCore('（东岩店）')).toBe('（东岩店）');
  });

  it('reads kinds from suffixes only', () => {
    expect(kindFromName('东岩小学')).toBe('primary_school');
    expect(kindFromName('小学生托管中心')).toBeNull();
    expect(kindFromName(undefined)).toBeNull();
    expect(kindFromName('   ')).toBeNull();
  });
});
