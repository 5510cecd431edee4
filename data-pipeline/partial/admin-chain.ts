/**
 * Division codes a grid names (district, street, community) that the stored
 * admin units lack are added, named by their code and parented along the
 * chain, as the full import does with a grids file (ingest.ts): roll-ups
 * then reach them. Existing units are left as they are.
 */
import type { Queryable } from '../../kernel/db/database.ts';

interface Chain {
  districtCode: string | null;
  streetCode: string | null;
  communityCode: string | null;
}

export async function addMissingAdminUnits(tx: Queryable, cityCode: string, chains: Iterable<Chain>): Promise<number> {
  const levels = { district: new Map<string, string>(), street: new Map<string, string>(), community: new Map<string, string>() };
  for (const g of chains) {
    if (g.districtCode) levels.district.set(g.districtCode, cityCode);
    if (g.streetCode) levels.street.set(g.streetCode, g.districtCode ?? cityCode);
    if (g.communityCode) levels.community.set(g.communityCode, g.streetCode ?? g.districtCode ?? cityCode);
  }
  let added = 0;
  // Parents first: the foreign key checks each row's parent as it goes in.
  for (const level of ['district', 'street', 'community'] as const) {
    const units = [...levels[level]];
    if (units.length === 0) continue;
    const rows = await tx.query(
      `INSERT INTO admin_units (code, level, name, parent_code)
       SELECT u.code, $1, u.code, u.parent FROM unnest($2::text[], $3::text[]) AS u(code, parent)
       ON CONFLICT (code) DO NOTHING RETURNING code`,
      [level, units.map(([code]) => code), units.map(([, parent]) => parent)],
    );
    added += rows.length;
  }
  return added;
}
