/**
 * Service centers from OSM, for cities imported without a center file. What
 * kind an element is comes from the living-circle standard's data
 * (kernel/life-circle-standard.json, read by kernel/kind-from-tags.ts): its
 * tag rules (amenity=kindergarten, amenity=school + isced:level, shop=...)
 * and, where the tags are generic or missing, the suffix of its Chinese name
 * (某某村党群服务中心 tagged amenity=community_centre is a neighborhood
 * center). Nothing about kinds is decided here.
 * A center is a point: a node's position, or a way's centroid. Its name is
 * name=*, else "<kind> node/123".
 */
import type { CenterRow } from '../../kernel/import-bundle.ts';
import { kindFromTags } from '../../kernel/kind-from-tags.ts';
import type { Tags } from './osm-elements.ts';

/** The center kind an element's tags and name make it, or null. */
export function centerKind(tags: Tags): string | null {
  return kindFromTags(tags);
}

/** A center row for an OSM element of the given kind at lon/lat. */
export function centerRow(kind: string, tags: Tags, type: 'node' | 'way', id: number, lon: number, lat: number): CenterRow {
  const sourceId = `${type}/${id}`;
  return {
    name: tags.name ?? tags['name:zh'] ?? `${kind} ${sourceId}`,
    kind,
    services: [kind],
    source: 'osm',
    sourceId,
    lon,
    lat,
  };
}
