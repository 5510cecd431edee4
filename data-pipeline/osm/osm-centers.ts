/**
 * Service centers from OSM tags, for cities imported without a center file.
 * The kinds are the services of a 15-minute living circle (GB 50180-2018 lists
 * community service, health, elderly care, education, culture, daily
 * shopping, post and public security among its 15-minute facilities):
 *   amenity=community_centre              -> community_centre
 *   amenity=social_facility               -> social_facility, or elderly_care
 *     when social_facility:for=senior or social_facility=nursing_home|assisted_living
 *   amenity=nursing_home (old tag)        -> elderly_care
 *   amenity=townhall                      -> townhall
 *   amenity=clinic|doctors|hospital|pharmacy, healthcare=clinic|doctor|centre|hospital|pharmacy -> health
 *   amenity=kindergarten|childcare|school -> education
 *   amenity=library|arts_centre           -> culture
 *   amenity=post_office                   -> post
 *   amenity=police                        -> police
 *   amenity=marketplace, shop=supermarket -> market (fresh food within walking distance)
 * A center is a point: a node's position, or a way's centroid. Its name is
 * name=*, else "<kind> node/123".
 */
import type { CenterRow } from '../../kernel/import-bundle.ts';
import type { Tags } from './osm-elements.ts';

const AMENITY_KINDS: Record<string, string> = {
  community_centre: 'community_centre',
  social_facility: 'social_facility',
  nursing_home: 'elderly_care',
  townhall: 'townhall',
  clinic: 'health',
  doctors: 'health',
  hospital: 'health',
  pharmacy: 'health',
  kindergarten: 'education',
  childcare: 'education',
  school: 'education',
  library: 'culture',
  arts_centre: 'culture',
  post_office: 'post',
  police: 'police',
  marketplace: 'market',
};

const HEALTHCARE_KINDS = new Set(['clinic', 'doctor', 'centre', 'hospital', 'pharmacy']);

/** The center kind an element's tags make it, or null. */
export function centerKind(tags: Tags): string | null {
  const amenity = tags.amenity;
  if (amenity !== undefined) {
    const kind = AMENITY_KINDS[amenity];
    if (kind === 'social_facility') {
      const sf = tags.social_facility;
      if (tags['social_facility:for'] === 'senior' || sf === 'nursing_home' || sf === 'assisted_living') return 'elderly_care';
    }
    if (kind !== undefined) return kind;
  }
  const healthcare = tags.healthcare;
  if (healthcare !== undefined && HEALTHCARE_KINDS.has(healthcare)) return 'health';
  if (tags.shop === 'supermarket') return 'market';
  return null;
}

/** A center row for an OSM element of the given kind at lon/lat. */
export function centerRow(kind: string, tags: Tags, type: 'node' | 'way', id: number, lon: number, lat: number): CenterRow {
  const sourceId = `${type}/${id}`;
  return {
    name: tags.name ?? `${kind} ${sourceId}`,
    kind,
    services: [kind],
    source: 'osm',
    sourceId,
    lon,
    lat,
  };
}
