/**
 * Place-name search (GET /api/search) on an index kept in memory, one per
 * data version.
 *
 * Why in memory and not a LIKE query per request: the whole index is small
 * (the demo city: about 790 admin units, 2,408 grids and 2,700 centers, a
 * few megabytes) and a scan of it takes about a millisecond, where
 * a query would cost a round trip, and on the embedded database would queue
 * behind tile rendering on its single connection, for every keystroke of a
 * search box. Ranking in code is also the same on both backends (ORDER BY
 * on names follows each database's collation) and matching is literal by
 * construction (no LIKE pattern to escape).
 *
 * The index is read on the first search and kept until the data changes:
 * an import (`replaced`) drops everything, a center edit (`features` of the
 * `centers` layer) drops the centers only. Changes of other layers (the
 * coverage write-back's households and grids) touch no name or shape. A
 * change that lands while a part is being read drops that read too, so the
 * next search reads again; a read that fails is not kept.
 */
import type { Database } from '../../kernel/db/database.ts';
import type { DataChanges } from '../events/data-changes.ts';
import { CENTERS_LAYER } from '../centers/center-store.ts';
import { loadAreaPart, loadCenterPart, type AreaPart, type CenterPart } from './search-data.ts';
import { buildSearchIndex, searchEntries, type SearchHit, type SearchIndex, type SearchOptions } from './search-index.ts';

export interface SearchAnswer {
  /** The data version the index was read at (the later of its two parts). */
  version: string;
  /** Entries matching in all (of the types asked for). */
  total: number;
  hits: SearchHit[];
}

export interface SearchService {
  /** Entries matching `q` (trimmed, not empty), best first. */
  search(q: string, options: SearchOptions): Promise<SearchAnswer>;
  close(): void;
}

/** A value read on demand and kept until dropped; a drop during the read discards it. */
function cached<T>(load: () => Promise<T>) {
  let value: Promise<T> | undefined;
  return {
    get(): Promise<T> {
      if (!value) {
        const reading = load();
        value = reading;
        reading.catch(() => {
          if (value === reading) value = undefined;
        });
      }
      return value;
    },
    drop() {
      value = undefined;
    },
  };
}

export function createSearchService(db: Database, changes: DataChanges): SearchService {
  const areas = cached(() => loadAreaPart(db));
  const centers = cached(() => loadCenterPart(db));
  // The index of the last pair of parts, rebuilt only when one of them is new.
  let built: { areas: AreaPart; centers: CenterPart; index: SearchIndex } | undefined;

  const unsubscribe = changes.subscribe((change) => {
    if (change.type === 'replaced') {
      areas.drop();
      centers.drop();
    } else if (change.layers.includes(CENTERS_LAYER)) {
      centers.drop();
    }
  });

  async function index(): Promise<{ version: string; index: SearchIndex }> {
    const [a, c] = await Promise.all([areas.get(), centers.get()]);
    if (built?.areas !== a || built.centers !== c) built = { areas: a, centers: c, index: buildSearchIndex(a.areas, a.grids, c.centers) };
    return { version: (c.revision >= a.revision ? c : a).version, index: built.index };
  }

  return {
    async search(q, options) {
      const { version, index: current } = await index();
      return { version, ...searchEntries(current, q, options) };
    },
    close() {
      unsubscribe();
    },
  };
}
