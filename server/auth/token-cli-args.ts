/**
 * Arguments of `npm run token -- <command>`, parsed apart from the process
 * so they can be tested:
 *   create --role reader|planner|admin --name "城厢区规划科" [--expires 90d|2027-06-30]
 *   list
 *   revoke <id>
 * plus --database-url / --data-dir as everywhere. A bad argument is an error
 * whose message names it and shows the usage.
 */
import type { Role } from '../http/route-access.ts';
import { ROLES } from './token-store.ts';

export const TOKEN_USAGE = `usage: npm run token -- create --role reader|planner|admin --name NAME [--expires 90d|2027-06-30]
       npm run token -- list
       npm run token -- revoke ID
  The token is printed once, by create; only its hash is stored.
  --expires  after a number of days (90d) or on a date (UTC midnight); default: until revoked.
  --database-url URL / --data-dir DIR pick the database as npm start does.`;

export type TokenCommand =
  | { command: 'create'; role: Role; name: string; expiresAt: Date | undefined }
  | { command: 'list' }
  | { command: 'revoke'; id: number };

const fail = (message: string): never => {
  throw new Error(`${message}\n${TOKEN_USAGE}`);
};

/** When `--expires` ends, from `now`. */
export function parseExpiry(value: string, now = new Date()): Date {
  const days = /^(\d{1,5})d$/.exec(value);
  if (days) {
    const n = Number(days[1]);
    if (n < 1) fail('--expires must be at least 1d');
    return new Date(now.getTime() + n * 86_400_000);
  }
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value)) {
    const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(date.getTime())) fail(`--expires "${value}" is not a date`);
    if (date.getTime() <= now.getTime()) fail(`--expires ${value} is in the past`);
    return date;
  }
  return fail(`--expires must be a number of days (90d) or a date (2027-06-30), got "${value}"`);
}

/** The command in argv (database flags are left for loadConfig). */
export function parseTokenArgs(argv: readonly string[], now = new Date()): TokenCommand {
  const values: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) {
      positional.push(arg);
      continue;
    }
    if (!['role', 'name', 'expires', 'database-url', 'data-dir', 'log-level'].includes(m[1]!)) fail(`unknown argument "${arg}"`);
    const value = m[2] ?? argv[++i];
    if (value === undefined || value.startsWith('--')) fail(`${arg} needs a value`);
    values[m[1]!] = value!;
  }
  const [command, ...rest] = positional;
  if (command === 'create') {
    if (rest.length) fail(`unexpected "${rest[0]}"`);
    const role = values.role as Role | undefined;
    if (!role) fail('--role is required');
    if (!ROLES.includes(role!)) fail(`--role must be one of ${ROLES.join(', ')}, got "${role}"`);
    const name = (values.name ?? '').trim();
    if (!name) fail('--name is required: say whose token it is, e.g. --name "城厢区规划科"');
    if (name.length > 200) fail('--name must be at most 200 characters');
    return { command, role: role!, name, expiresAt: values.expires === undefined ? undefined : parseExpiry(values.expires, now) };
  }
  if (command === 'list') {
    if (rest.length) fail(`unexpected "${rest[0]}"`);
    return { command };
  }
  if (command === 'revoke') {
    const id = Number(rest[0]);
    if (rest.length !== 1 || !Number.isInteger(id) || id < 1) fail('revoke needs one token id (see list)');
    return { command, id };
  }
  return fail(command === undefined ? 'no command given' : `unknown command "${command}"`);
}
