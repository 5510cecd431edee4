import { describe, expect, it } from 'vitest';
import { centerKind, centerRow } from './osm-centers.ts';

describe('centerKind', () => {
  it('maps the community and service amenities', () => {
    expect(centerKind({ amenity: 'community_centre' })).toBe('community_centre');
    expect(centerKind({ amenity: 'townhall' })).toBe('townhall');
    expect(centerKind({ amenity: 'social_facility' })).toBe('social_facility');
    expect(centerKind({ amenity: 'social_facility', 'social_facility:for': 'senior' })).toBe('elderly_care');
    expect(centerKind({ amenity: 'social_facility', social_facility: 'nursing_home' })).toBe('elderly_care');
    expect(centerKind({ amenity: 'pharmacy' })).toBe('health');
    expect(centerKind({ healthcare: 'doctor' })).toBe('health');
    expect(centerKind({ amenity: 'kindergarten' })).toBe('education');
    expect(centerKind({ amenity: 'library' })).toBe('culture');
    expect(centerKind({ amenity: 'post_office' })).toBe('post');
    expect(centerKind({ amenity: 'police' })).toBe('police');
    expect(centerKind({ shop: 'supermarket' })).toBe('market');
    expect(centerKind({ amenity: 'bench' })).toBeNull();
    expect(centerKind({ shop: 'bakery' })).toBeNull();
  });

  it('names a center by name=* or by kind and id', () => {
    expect(centerRow('post', { name: 'La Poste' }, 'node', 5, 7.4, 43.7)).toEqual({
      name: 'La Poste', kind: 'post', services: ['post'], source: 'osm', sourceId: 'node/5', lon: 7.4, lat: 43.7,
    });
    expect(centerRow('townhall', {}, 'way', 9, 0, 0).name).toBe('townhall way/9');
  });
});
