/**
 * Bearer tokens in the database (api_tokens, 005_tokens_and_audit.sql):
 * made, listed, revoked and verified. A token is shown once, when made; the
 * table holds only its secret's hash. Making and revoking a token are writes
 * like any other: recorded in the audit trail in the same transaction (the
 * record holds the name, role and dates, never the token or its hash).
 */
import type { Database, Queryable } from '../../kernel/db/database.ts';
import type { Principal, Role } from '../http/route-access.ts';
import { recordAudit, type Actor } from './audit-log.ts';
import { hashSecret, newSecret, parseToken, secretMatches, tokenText } from './token-secret.ts';

export const ROLES: readonly Role[] = ['reader', 'planner', 'admin'];

/** A token as it may be shown: never the token or its hash. */
export interface TokenRecord {
  id: number;
  name: string;
  role: Role;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface TokenStore {
  /** Makes a token; the returned `token` is the only time it exists in clear. */
  create(input: { role: Role; name: string; expiresAt?: Date }, actor: Actor): Promise<{ token: string; record: TokenRecord }>;
  list(): Promise<TokenRecord[]>;
  /** Revokes a token by id; undefined when there is none (already revoked ones are returned as they are). */
  revoke(id: number, actor: Actor): Promise<TokenRecord | undefined>;
  /** The caller a token stands for, or undefined when it is malformed, unknown, wrong, revoked or expired (one answer for all). */
  verify(token: string, now?: Date): Promise<Principal | undefined>;
  /** True when an active (not revoked, not expired) token of one of `roles` exists. */
  hasActive(roles: readonly Role[]): Promise<boolean>;
}

type Row = { id: number | string; name: string; role: Role; secret_hash: string; created_at: Date | string; expires_at: Date | string | null; revoked_at: Date | string | null };

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

function toRecord(row: Row): TokenRecord {
  return { id: Number(row.id), name: row.name, role: row.role, created_at: iso(row.created_at)!, expires_at: iso(row.expires_at), revoked_at: iso(row.revoked_at) };
}

const COLUMNS = 'id, name, role, secret_hash, created_at, expires_at, revoked_at';

export function createTokenStore(db: Database): TokenStore {
  async function selectOne(q: Queryable, id: number, lock = false): Promise<Row | undefined> {
    return (await q.query<Row>(`SELECT ${COLUMNS} FROM api_tokens WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]))[0];
  }

  return {
    async create({ role, name, expiresAt }, actor) {
      if (!ROLES.includes(role)) throw new RangeError(`role must be one of ${ROLES.join(', ')}, got "${role}"`);
      const trimmed = name.trim();
      if (trimmed.length < 1 || trimmed.length > 200) throw new RangeError('name must be 1 to 200 characters');
      if (expiresAt && !(expiresAt.getTime() > Date.now())) throw new RangeError('the expiry must be in the future');
      const secret = newSecret();
      return db.transaction(async (tx) => {
        const [row] = await tx.query<Row>(
          `INSERT INTO api_tokens (name, role, secret_hash, expires_at) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
          [trimmed, role, hashSecret(secret), expiresAt ? expiresAt.toISOString() : null],
        );
        const record = toRecord(row!);
        await recordAudit(tx, actor, { action: 'token.create', entity: 'token', entityId: record.id, before: null, after: record });
        return { token: tokenText(record.id, secret), record };
      });
    },

    async list() {
      return (await db.query<Row>(`SELECT ${COLUMNS} FROM api_tokens ORDER BY id`)).map(toRecord);
    },

    async revoke(id, actor) {
      return db.transaction(async (tx) => {
        const before = await selectOne(tx, id, true);
        if (!before) return undefined;
        if (before.revoked_at !== null) return toRecord(before);
        const [after] = await tx.query<Row>(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, [id]);
        const record = toRecord(after!);
        await recordAudit(tx, actor, { action: 'token.revoke', entity: 'token', entityId: id, before: toRecord(before), after: record });
        return record;
      });
    },

    async verify(token, now = new Date()) {
      const parsed = parseToken(token);
      if (!parsed) return undefined;
      const row = await selectOne(db, parsed.id);
      // Compare even when there is no row, so an unknown id costs what a wrong secret costs.
      const matches = secretMatches(parsed.secret, row?.secret_hash ?? '0'.repeat(64));
      if (!row || !matches || row.revoked_at !== null) return undefined;
      if (row.expires_at !== null && new Date(row.expires_at).getTime() <= now.getTime()) return undefined;
      return { tokenId: Number(row.id), name: row.name, role: row.role };
    },

    async hasActive(roles) {
      const rows = await db.query<{ n: number | string }>(
        `SELECT count(*) AS n FROM api_tokens WHERE role = ANY($1::text[]) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
        [roles],
      );
      return Number(rows[0]?.n ?? 0) > 0;
    },
  };
}
