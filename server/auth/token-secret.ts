/**
 * The shape of a bearer token and how it is kept: "lc_<id>_<secret>", where
 * the id (decimal) finds the stored row and the secret is 32 random bytes in
 * base64url. Only SHA-256 of the secret is stored; a fast hash is enough
 * because the secret is random (no dictionary to try), and the comparison is
 * constant-time so an answer's timing says nothing about how much matched.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const TOKEN_PATTERN = /^lc_([1-9]\d{0,9})_([A-Za-z0-9_-]{43})$/;

/** A new secret (256 bits). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored form of a secret: SHA-256, hex. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The token a person is given, from the row id and the secret. */
export function tokenText(id: number, secret: string): string {
  return `lc_${id}_${secret}`;
}

/** The id and secret of a token, or undefined when it is not one of ours in shape. */
export function parseToken(token: string): { id: number; secret: string } | undefined {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return undefined;
  const id = Number(match[1]);
  return id <= 0x7fffffff ? { id, secret: match[2]! } : undefined;
}

/** True when `secret` hashes to `storedHash`, compared in constant time. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
