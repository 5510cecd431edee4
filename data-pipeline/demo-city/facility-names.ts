/**
 * Chinese names for the demo city's facilities, in the forms real ones take
 * (东岩幼儿园, 华亭镇中心小学, 拱辰街道社区卫生服务中心, 美宜佳便利店（东岩店）),
 * so that reading the kind from a name (kernel/kind-from-tags.ts) has the
 * same work on the demo city as on imported Chinese data.
 */
import { streetKind, type StreetFact } from './putian-divisions.ts';
import type { SeededRandom } from './seeded-random.ts';

const NUMERALS = '一二三四五六七八九十';
const SHOP_BRANDS = ['美宜佳', '见福', '好邻居', '惠民', '邻里'];

/** 第二, 第三 ... for the second and later facility of a kind in one place. */
function ordinal(i: number): string {
  return i === 0 ? '' : `第${NUMERALS[Math.min(i, NUMERALS.length - 1)]}`;
}

/** A community's name without 社区 (东岩社区 -> 东岩); villages keep 村. */
export function placeBase(communityName: string): string {
  return communityName.replace(/社区$/, '');
}

/** A town-level unit's name without 街道, 镇 or 乡 (华亭镇 -> 华亭). */
function streetBase(street: StreetFact): string {
  return street.name.replace(/(街道|镇|乡)$/, '');
}

/** Names of the facilities drawn for one community or village (the i-th of its kind there). */
export function communityFacilityName(kind: string, communityName: string, i: number, rng: SeededRandom): string {
  const base = placeBase(communityName);
  switch (kind) {
    case 'kindergarten':
      return `${base}${ordinal(i)}幼儿园`;
    case 'convenience':
      return `${rng.pick(SHOP_BRANDS)}便利店（${base}${i === 0 ? '' : NUMERALS[Math.min(i, 9)]}店）`;
    case 'elderly_day_care':
      // Fujian's name for community day care.
      return `${communityName}${ordinal(i)}居家养老服务照料中心`;
    default:
      throw new Error(`demo city: no community name for kind ${kind}`);
  }
}

/**
 * Names of a town-level unit's facilities. The first school of a town is its
 * 中心小学 or its 中学; later ones are named after the community they are in.
 */
export function streetFacilityName(kind: string, street: StreetFact, i: number, communityName: string): string {
  const urban = streetKind(street.name) === 'subdistrict';
  const local = placeBase(communityName);
  switch (kind) {
    case 'primary_school':
      if (i === 0) return urban ? `${streetBase(street)}实验小学` : `${street.name}中心小学`;
      return `${local}小学`;
    case 'fresh_market':
      return i % 2 === 0 ? `${local}农贸市场` : `${local}菜市场`;
    case 'middle_school':
      return i === 0 ? `${streetBase(street)}中学` : `${local}中学`;
    case 'community_health':
      return urban ? `${street.name}社区卫生服务中心` : `${street.name}卫生院`;
    case 'culture':
      return urban ? `${street.name}文化活动中心` : `${street.name}综合文化站`;
    case 'community_centre':
      return urban ? `${street.name}社区服务中心` : `${street.name}便民服务中心`;
    case 'elderly_care':
      return urban ? `${street.name}养老院` : `${street.name}敬老院`;
    default:
      throw new Error(`demo city: no street name for kind ${kind}`);
  }
}
