/**
 * npm run token -- create|list|revoke (token-cli-args.ts has the usage).
 * Opens the database as npm start would (DATABASE_URL, else the embedded one
 * in DATA_DIR: stop the server first there, PGlite allows one process), and
 * records each change in the audit trail as `cli`. The token is written to
 * stdout once and nowhere else.
 */
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/open-database.ts';
import { CLI_ACTOR } from './audit-log.ts';
import { parseTokenArgs, type TokenCommand } from './token-cli-args.ts';
import { createTokenStore, type TokenRecord } from './token-store.ts';

function describe(t: TokenRecord): string {
  const state = t.revoked_at ? `revoked ${t.revoked_at}` : t.expires_at && new Date(t.expires_at) <= new Date() ? `expired ${t.expires_at}` : t.expires_at ? `expires ${t.expires_at}` : 'active';
  return `${String(t.id).padStart(4)}  ${t.role.padEnd(7)}  ${state.padEnd(34)}  ${t.name}`;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let command: TokenCommand;
  try {
    command = parseTokenArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const config = loadConfig(process.env, argv);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1, statementTimeoutMs: config.statementTimeoutMs });
  try {
    const tokens = createTokenStore(db);
    if (command.command === 'create') {
      const { token, record } = await tokens.create({ role: command.role, name: command.name, expiresAt: command.expiresAt }, CLI_ACTOR);
      process.stderr.write(`made ${record.role} token ${record.id} "${record.name}"${record.expires_at ? `, expires ${record.expires_at}` : ''}. It is shown this once; only its hash is kept:\n`);
      process.stdout.write(`${token}\n`);
    } else if (command.command === 'list') {
      const all = await tokens.list();
      process.stdout.write(all.length ? `  id  role     state                               name\n${all.map(describe).join('\n')}\n` : 'no tokens\n');
    } else {
      const record = await tokens.revoke(command.id, CLI_ACTOR);
      if (!record) {
        process.stderr.write(`no token has id ${command.id} (see npm run token -- list)\n`);
        return 1;
      }
      process.stdout.write(`revoked: ${describe(record)}\n`);
    }
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`token: ${error.message}\n`);
    process.exit(1);
  },
);
