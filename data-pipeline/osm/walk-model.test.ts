import { describe, expect, it } from 'vitest';
import { walkAccess } from './walk-model.ts';

describe('walkAccess', () => {
  it('takes the walkable highway classes both ways', () => {
    for (const h of ['footway', 'pedestrian', 'path', 'steps', 'living_street', 'residential', 'service', 'unclassified', 'tertiary', 'secondary', 'primary', 'track', 'crossing', 'primary_link']) {
      expect(walkAccess({ highway: h })).toEqual({ class: h, forward: true, backward: true });
    }
  });

  it('keeps the class of steps', () => {
    expect(walkAccess({ highway: 'steps', incline: 'up' })?.class).toBe('steps');
  });

  it('takes footway=crossing ways', () => {
    expect(walkAccess({ highway: 'footway', footway: 'crossing' })?.class).toBe('footway');
  });

  it('excludes ways that are not highways and unknown highway values', () => {
    expect(walkAccess({ building: 'yes' })).toBeNull();
    expect(walkAccess({ highway: 'construction' })).toBeNull();
    expect(walkAccess({ highway: 'proposed', foot: 'yes' })).toBeNull();
  });

  it('excludes motorways and trunk roads unless foot is allowed', () => {
    for (const h of ['motorway', 'motorway_link', 'trunk', 'trunk_link']) {
      expect(walkAccess({ highway: h })).toBeNull();
      expect(walkAccess({ highway: h, foot: 'yes' })?.class).toBe(h);
      expect(walkAccess({ highway: h, foot: 'designated' })?.class).toBe(h);
      expect(walkAccess({ highway: h, foot: 'permissive' })?.class).toBe(h);
    }
  });

  it('takes cycleways only with foot permission', () => {
    expect(walkAccess({ highway: 'cycleway' })).toBeNull();
    expect(walkAccess({ highway: 'cycleway', foot: 'designated' })?.class).toBe('cycleway');
  });

  it('excludes foot=no', () => {
    expect(walkAccess({ highway: 'footway', foot: 'no' })).toBeNull();
    expect(walkAccess({ highway: 'residential', foot: 'no', access: 'yes' })).toBeNull();
  });

  it('excludes access=private|no without foot permission, which overrides it', () => {
    expect(walkAccess({ highway: 'service', access: 'private' })).toBeNull();
    expect(walkAccess({ highway: 'service', access: 'no' })).toBeNull();
    expect(walkAccess({ highway: 'service', access: 'private', foot: 'yes' })?.class).toBe('service');
    expect(walkAccess({ highway: 'path', access: 'no', foot: 'permissive' })?.class).toBe('path');
    expect(walkAccess({ highway: 'service', access: 'customers' })?.class).toBe('service');
  });

  it('ignores oneway but honours oneway:foot', () => {
    expect(walkAccess({ highway: 'residential', oneway: 'yes' })).toMatchObject({ forward: true, backward: true });
    expect(walkAccess({ highway: 'residential', oneway: '-1' })).toMatchObject({ forward: true, backward: true });
    for (const v of ['yes', '1', 'true']) {
      expect(walkAccess({ highway: 'footway', 'oneway:foot': v })).toMatchObject({ forward: true, backward: false });
    }
    expect(walkAccess({ highway: 'footway', 'oneway:foot': '-1' })).toMatchObject({ forward: false, backward: true });
    expect(walkAccess({ highway: 'footway', oneway: 'yes', 'oneway:foot': 'no' })).toMatchObject({ forward: true, backward: true });
  });

  it('keeps pedestrian areas (area=yes) so their outline is walkable', () => {
    expect(walkAccess({ highway: 'pedestrian', area: 'yes' })?.class).toBe('pedestrian');
  });
});
