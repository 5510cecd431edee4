/**
 * The first start of the embedded default stays two commands (npm ci && npm
 * start) and still lets its user change data: when no active planner (or
 * admin) token exists, one is made and shown once as a local link that opens
 * the client signed in (as notebook servers print theirs). It is written to
 * the terminal, not through the logger, so it never reaches a log file that
 * collects structured logs. A server database (DATABASE_URL) gets nothing
 * made for it: main.ts calls this only for the embedded one.
 */
import { CLI_ACTOR } from './audit-log.ts';
import type { TokenStore } from './token-store.ts';

/** The name of the token made on first start. */
export const FIRST_START_TOKEN_NAME = '本机规划员（首次启动）';

/** A new planner token when no active planner or admin token exists, else undefined. */
export async function firstStartToken(tokens: TokenStore): Promise<string | undefined> {
  if (await tokens.hasActive(['planner', 'admin'])) return undefined;
  return (await tokens.create({ role: 'planner', name: FIRST_START_TOKEN_NAME }, { ...CLI_ACTOR, name: 'first start' })).token;
}

/** The lines shown once on the terminal. */
export function signInNotice(baseUrl: string, token: string): string {
  return [
    '',
    '  规划员登录链接（只显示这一次，请妥善保存）/ planner sign-in link, shown this once:',
    `    ${baseUrl}/#token=${token}`,
    '  打开它即以规划员身份使用地图（可添加、删除服务中心）。令牌只以哈希保存；',
    '  丢失后可停止服务，运行 npm run token -- create --role planner --name "…" 重新生成。',
    '',
  ].join('\n') + '\n';
}
