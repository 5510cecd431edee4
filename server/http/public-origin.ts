/**
 * The origin clients reached us by, for documents that name this server in
 * absolute URLs (TileJSON tile templates, the developers' example), honouring
 * a proxy's X-Forwarded-Proto and X-Forwarded-Host when their values are
 * plausible (a scheme of http or https, a host of host characters only).
 */
import type { Context } from 'hono';

export function publicOrigin(c: Context): string {
  const url = new URL(c.req.url);
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim();
  const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim();
  const safeProto = proto === 'http' || proto === 'https' ? proto : url.protocol.replace(':', '');
  const safeHost = host && /^[A-Za-z0-9.\-:[\]]+$/.test(host) ? host : url.host;
  return `${safeProto}://${safeHost}`;
}
