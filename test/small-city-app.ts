/**
 * The whole app on the small synthetic city (tiles-fixture.ts), on one
 * backend, and a JSON request helper: what the planning HTTP tests share.
 */
import { createApp, type App, type AppDeps } from '../server/app.ts';
import { silentLogger } from '../server/logger.ts';
import type { BackendKind } from '../kernel/db/database.ts';
import { openTestDatabase, type TestDatabase } from './backends.ts';
import { storeSmallCity } from './tiles-fixture.ts';
import { bearer } from './auth-fixture.ts';

/** Opens a database of `kind`, stores the small city and starts the app on it, settled. */
export async function openSmallCityApp(kind: BackendKind, deps: Partial<AppDeps> = {}): Promise<{ t: TestDatabase; app: App }> {
  const t = await openTestDatabase(kind);
  await storeSmallCity(t.db);
  const app = await createApp({ db: t.db, logger: silentLogger, dataDir: undefined, ...deps });
  await app.idle();
  return { t, app };
}

/** A request with a JSON body (when given); the answer's status, parsed body and headers. */
export async function sendJson(app: App, method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? bearer(token) : {}) };
  const res = await app.http.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as any) : undefined, headers: res.headers };
}
