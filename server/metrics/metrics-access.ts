/**
 * Who may read GET /metrics: the METRICS setting. `off` mounts nothing;
 * `admin` answers only an admin bearer token (401/403 otherwise, as every
 * admin route); `public` answers anyone who may read (with
 * READS_NEED_TOKEN=true that still means any token); `port:N` (or
 * `port:HOST:N`) serves it on a listener of its own and not on the main
 * port, for a network that only the monitoring system reaches.
 *
 * The default is `admin`: nothing about the deployment (request rates,
 * replica host names) is public unless an operator says so, and no extra
 * port opens by surprise, while an operator can still look with the admin
 * token. For a Prometheus server, `port:` on a private interface is the
 * better choice: a scraper then holds no token that can manage tokens.
 */

export type MetricsAccess =
  | { mode: 'off' }
  | { mode: 'admin' }
  | { mode: 'public' }
  /** `host` undefined: the main server's HOST. */
  | { mode: 'port'; port: number; host: string | undefined };

export const defaultMetricsAccess: MetricsAccess = { mode: 'admin' };

const USAGE = 'METRICS must be off, admin, public or port:<port> (e.g. port:9464, or port:127.0.0.1:9464)';

/** The METRICS setting from its text; throws naming METRICS and what it takes. */
export function parseMetricsAccess(value: string | undefined): MetricsAccess {
  const text = value?.trim() ?? '';
  if (text === '') return defaultMetricsAccess;
  if (text === 'off' || text === 'admin' || text === 'public') return { mode: text };
  const port = /^port:(?:(.+):)?(\d{1,5})$/.exec(text);
  if (port) {
    const n = Number(port[2]);
    // `[::1]` as URLs write an IPv6 address; Node's listen wants it bare.
    const host = port[1]?.replace(/^\[(.*)\]$/, '$1');
    if (n >= 1 && n <= 65_535 && host !== '') return { mode: 'port', port: n, host };
  }
  throw new Error(`${USAGE}, got "${value}"`);
}
