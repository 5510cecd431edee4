/**
 * Tokens: their text and hash, the store (made, verified, revoked, expired,
 * listed without secrets), the command line's arguments, the command itself
 * on an embedded database, and the first start's sign-in token.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test/backends.ts';
import { openDatabase } from '../db/open-database.ts';
import { CLI_ACTOR } from './audit-log.ts';
import { firstStartToken, FIRST_START_TOKEN_NAME, signInNotice } from './first-start-token.ts';
import { parseExpiry, parseTokenArgs } from './token-cli-args.ts';
import { hashSecret, parseToken, secretMatches, tokenText } from './token-secret.ts';
import { createTokenStore } from './token-store.ts';

const run = promisify(execFile);

describe('token text', () => {
  it('round-trips id and secret, refuses other shapes, and compares hashes', () => {
    const secret = 'A'.repeat(43);
    expect(parseToken(tokenText(42, secret))).toEqual({ id: 42, secret });
    for (const bad of ['', 'lc_0_' + secret, 'lc_42_' + secret.slice(1), 'lc_42_' + secret + 'A', 'xx_42_' + secret, 'lc_99999999999_' + secret, `lc_42_${'A'.repeat(42)}=`]) {
      expect(parseToken(bad), bad).toBeUndefined();
    }
    expect(secretMatches(secret, hashSecret(secret))).toBe(true);
    expect(secretMatches(secret, hashSecret(secret + 'x'))).toBe(false);
    expect(secretMatches(secret, 'not hex')).toBe(false);
  });
});

describe('token store', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase('pglite');
  });
  afterAll(() => t?.dispose());

  it('makes tokens it can verify, stores only the hash, and refuses revoked and expired ones', async () => {
    const store = createTokenStore(t.db);
    const { token, record } = await store.create({ role: 'planner', name: ' 城厢区规划科 ' }, CLI_ACTOR);
    expect(record).toMatchObject({ name: '城厢区规划科', role: 'planner', expires_at: null, revoked_at: null });
    expect(await store.verify(token)).toEqual({ tokenId: record.id, name: '城厢区规划科', role: 'planner' });
    const stored = await t.db.query<Record<string, unknown>>('SELECT * FROM api_tokens WHERE id = $1', [record.id]);
    expect(JSON.stringify(stored)).not.toContain(parseToken(token)!.secret);
    expect(await store.verify(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeUndefined();
    const soon = await store.create({ role: 'admin', name: 'soon', expiresAt: new Date(Date.now() + 60_000) }, CLI_ACTOR);
    expect((await store.verify(soon.token))?.role).toBe('admin');
    expect(await store.verify(soon.token, new Date(Date.now() + 120_000))).toBeUndefined();
    expect(await store.hasActive(['admin'])).toBe(true);
    await store.revoke(soon.record.id, CLI_ACTOR);
    expect(await store.verify(soon.token)).toBeUndefined();
    expect(await store.hasActive(['admin'])).toBe(false);
    expect(await store.revoke(99999, CLI_ACTOR)).toBeUndefined();
    const listed = await store.list();
    expect(listed.map((r) => Object.keys(r).sort())).toEqual(listed.map(() => ['created_at', 'expires_at', 'id', 'name', 'revoked_at', 'role']));
    await expect(store.create({ role: 'boss' as never, name: 'x' }, CLI_ACTOR)).rejects.toThrow(/role/);
    await expect(store.create({ role: 'reader', name: '  ' }, CLI_ACTOR)).rejects.toThrow(/name/);
    await expect(store.create({ role: 'reader', name: 'x', expiresAt: new Date(Date.now() - 1000) }, CLI_ACTOR)).rejects.toThrow(/future/);
  });

  it('makes one sign-in token on the first start only, and words the notice for the terminal', async () => {
    const db = await openTestDatabase('pglite');
    try {
      const store = createTokenStore(db.db);
      const first = await firstStartToken(store);
      expect(first).toMatch(/^lc_\d+_/);
      expect((await store.verify(first!))?.name).toBe(FIRST_START_TOKEN_NAME);
      expect(await firstStartToken(store)).toBeUndefined();
      const notice = signInNotice('http://localhost:8080', first!);
      expect(notice).toContain(`http://localhost:8080/#token=${first}`);
      expect(notice).toMatch(/规划员登录链接/);
    } finally {
      await db.dispose();
    }
  });
});

describe('npm run token arguments', () => {
  const now = new Date('2026-12-07T00:00:00Z');
  it('reads create, list and revoke, and names a bad argument', () => {
    expect(parseTokenArgs(['create', '--role', 'planner', '--name', '城厢区规划科'], now)).toEqual({ command: 'create', role: 'planner', name: '城厢区规划科', expiresAt: undefined });
    expect(parseTokenArgs(['create', '--role=admin', '--name=x', '--expires', '30d'], now)).toMatchObject({ expiresAt: new Date('2027-01-06T00:00:00Z') });
    expect(parseTokenArgs(['list', '--data-dir', '/tmp/x'], now)).toEqual({ command: 'list' });
    expect(parseTokenArgs(['revoke', '3'], now)).toEqual({ command: 'revoke', id: 3 });
    for (const [argv, message] of [
      [[], /no command/],
      [['make'], /unknown command "make"/],
      [['create', '--name', 'x'], /--role is required/],
      [['create', '--role', 'boss', '--name', 'x'], /--role must be one of reader, planner, admin/],
      [['create', '--role', 'planner'], /--name is required/],
      [['create', '--role', 'planner', '--name'], /--name needs a value/],
      [['create', '--role', 'planner', '--name', 'x', '--colour', 'red'], /unknown argument "--colour"/],
      [['revoke'], /revoke needs one token id/],
      [['revoke', 'abc'], /revoke needs one token id/],
    ] as [string[], RegExp][]) {
      expect(() => parseTokenArgs(argv, now), argv.join(' ')).toThrow(message);
    }
    expect(parseExpiry('2027-06-30', now)).toEqual(new Date('2027-06-30T00:00:00Z'));
    expect(() => parseExpiry('2020-01-01', now)).toThrow(/in the past/);
    expect(() => parseExpiry('soon', now)).toThrow(/number of days/);
    expect(() => parseExpiry('0d', now)).toThrow(/at least 1d/);
  });
});

describe('npm run token', () => {
  it('creates a token printed once, lists it without its secret, revokes it, and exits 2 on a bad argument', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-token-cli-'));
    const env = { ...process.env, DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '' };
    const cli = (...args: string[]) => run('npx', ['tsx', 'server/auth/token-cli.ts', ...args], { env, cwd: process.cwd() });
    try {
      const made = await cli('create', '--role', 'planner', '--name', '城厢区规划科');
      const token = made.stdout.trim();
      expect(token).toMatch(/^lc_1_[A-Za-z0-9_-]{43}$/);
      expect(made.stderr).toMatch(/shown this once/);
      const listed = await cli('list');
      expect(listed.stdout).toMatch(/1 {2}planner {2}active .*城厢区规划科/);
      expect(listed.stdout).not.toContain(token.slice(5));
      expect((await cli('revoke', '1')).stdout).toMatch(/revoked: .*城厢区规划科/);
      await expect(cli('create', '--role', 'boss', '--name', 'x')).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--role must be one of/) });
      const db = await openDatabase({ databaseUrl: undefined, dataDir: env.DATA_DIR });
      try {
        const actions = await db.query<{ action: string; actor: string }>('SELECT action, actor FROM audit_log ORDER BY id');
        expect(actions).toEqual([{ action: 'token.create', actor: 'cli' }, { action: 'token.revoke', actor: 'cli' }]);
        expect(await createTokenStore(db).verify(token)).toBeUndefined();
      } finally {
        await db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
