// Centers from OSM elements: kinds come from the standard's tag rules and
// name suffixes (the full table is kernel/kind-from-tags.test.ts); this
// checks the importer's use of them and the rows it builds.
import { describe, expect, it } from 'vitest';
import { centerKind, centerRow } from './osm-centers.ts';

describe('centerKind', () => {
  it('maps tags to the kinds of the standard', () => {
    expect(centerKind({ amenity: 'community_centre' })).toBe('community_centre');
    expect(centerKind({ amenity: 'townhall' })).toBe('townhall');
    expect(centerKind({ amenity: 'social_facility' })).toBe('social_facility');
    expect(centerKind({ amenity: 'social_facility', 'social_facility:for': 'senior' })).toBe('elderly_care');
    expect(centerKind({ amenity: 'social_facility', social_facility: 'nursing_home' })).toBe('elderly_care');
    expect(centerKind({ amenity: 'pharmacy' })).toBe('pharmacy');
    expect(centerKind({ healthcare: 'doctor' })).toBe('community_health');
    expect(centerKind({ amenity: 'kindergarten' })).toBe('kindergarten');
    expect(centerKind({ amenity: 'school' })).toBe('school');
    expect(centerKind({ amenity: 'school', 'isced:level': '2' })).toBe('middle_school');
    expect(centerKind({ amenity: 'library' })).toBe('culture');
    expect(centerKind({ amenity: 'post_office' })).toBe('post');
    expect(centerKind({ amenity: 'police' })).toBe('police');
    expect(centerKind({ shop: 'supermarket' })).toBe('fresh_market');
    expect(centerKind({ shop: 'convenience' })).toBe('convenience');
    expect(centerKind({ amenity: 'bench' })).toBeNull();
    expect(centerKind({ shop: 'bakery' })).toBeNull();
  });

  it('reads the kind from a Chinese name where the tags are generic or missing', () => {
    expect(centerKind({ amenity: 'community_centre', name: '东岩村党群服务中心' })).toBe('neighborhood');
    expect(centerKind({ building: 'yes', name: '拱辰街道综治中心' })).toBe('governance');
    expect(centerKind({ highway: 'residential', name: '中学路' })).toBeNull();
  });

  it('names a center by name=*, name:zh=* or by kind and id', () => {
    expect(centerRow('post', { name: 'La Poste' }, 'node', 5, 7.4, 43.7)).toEqual({
      name: 'La Poste', kind: 'post', services: ['post'], source: 'osm', sourceId: 'node/5', lon: 7.4, lat: 43.7,
    });
    expect(centerRow('post', { 'name:zh': '东岩邮政所' }, 'node', 6, 0, 0).name).toBe('东岩邮政所');
    expect(centerRow('townhall', {}, 'way', 9, 0, 0).name).toBe('townhall way/9');
  });
});
