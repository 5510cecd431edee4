/**
 * The data as metrics: how old the current data version is (seconds since
 * the write that made it: an import, a center edit, an applied scenario),
 * its revision, and whether the database answered the scrape. Age and
 * revision are read from data_state at scrape time, with the age computed
 * by the database's own clock, so an instance whose clock is off does not
 * report a wrong age. A database that does not answer leaves them out and
 * sets living_circle_database_up to 0; the scrape itself still succeeds.
 */
import type { Registry } from 'prom-client';
import type { Queryable } from '../../kernel/db/database.ts';
import { scrapedGauge, sharedRead } from './scraped-metrics.ts';

interface DataAge {
  revision: number;
  ageSeconds: number;
}

const AGE_SQL = 'SELECT revision, EXTRACT(EPOCH FROM (now() - changed_at))::float8 AS age_s FROM data_state WHERE id = 1';

export function registerDataMetrics(registry: Registry, db: Queryable): void {
  const read = sharedRead(async (): Promise<DataAge | undefined> => {
    try {
      const [row] = await db.query<{ revision: number | string; age_s: number | string }>(AGE_SQL);
      return row ? { revision: Number(row.revision), ageSeconds: Math.max(0, Number(row.age_s)) } : undefined;
    } catch {
      return undefined;
    }
  });
  scrapedGauge({
    registry,
    name: 'living_circle_data_version_age_seconds',
    help: 'Seconds since the current data version was written (an import, a center edit, an applied scenario).',
    read: async () => {
      const age = await read();
      return age ? [{ value: age.ageSeconds }] : [];
    },
  });
  scrapedGauge({
    registry,
    name: 'living_circle_data_revision',
    help: 'The data revision: rises by one with every write to the data.',
    read: async () => {
      const age = await read();
      return age ? [{ value: age.revision }] : [];
    },
  });
  scrapedGauge({
    registry,
    name: 'living_circle_database_up',
    help: 'Whether the database (the primary) answered this scrape: 1 or 0.',
    read: async () => [{ value: (await read()) ? 1 : 0 }],
  });
}
