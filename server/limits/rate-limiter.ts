/**
 * Per-client limits on expensive requests, as token buckets: each client
 * (a token, else an address) has, per class of request, a bucket of `burst`
 * requests that refills at `perMinute`. A request that finds its bucket
 * empty is told how many seconds until one is back (429 with Retry-After).
 * Buckets live in memory, one process each: behind several instances a
 * client gets the limit once per instance, which is fine for limits meant
 * to stop one client from starving the others, not to bill anyone.
 */

export interface BucketRule {
  /** Requests that may come at once. */
  burst: number;
  /** Requests per minute in the long run. */
  perMinute: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterS: number };

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets not touched for this long are full again and can be dropped. */
const IDLE_MS = 10 * 60_000;
const PRUNE_AT = 10_000;

export class RateLimiter<Class extends string> {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rules: Record<Class, BucketRule>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one request of `cls` for `client`, or says when to come back. */
  take(cls: Class, client: string): TakeResult {
    const rule = this.rules[cls];
    if (rule.perMinute <= 0 || rule.burst <= 0) return { ok: true }; // a rule of 0 means no limit
    const now = this.now();
    const key = `${cls}\u0000${client}`;
    let bucket = this.buckets.get(key);
    const perMs = rule.perMinute / 60_000;
    if (!bucket) {
      if (this.buckets.size >= PRUNE_AT) this.prune(now);
      bucket = { tokens: rule.burst, at: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(rule.burst, bucket.tokens + (now - bucket.at) * perMs);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
  }

  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) if (now - bucket.at > IDLE_MS) this.buckets.delete(key);
  }
}
