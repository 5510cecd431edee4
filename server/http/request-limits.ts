/**
 * The limits on expensive requests, at the edge: per client (the token that
 * called, else the remote address) a rate per class of request, with 429 and
 * Retry-After beyond it (limits/rate-limiter.ts); and a cap on how much heavy work
 * runs or waits at once, with 503 busy beyond it (limits/heavy-work.ts). The
 * classes: an isochrone of many origins (POST /api/isochrone with more than
 * `manyOrigins` points), a site suggestion, and an exact suggestion (which
 * counts as both). Suggestions run in their worker one at a time; their
 * queue is capped like the request thread's. Defaults suit one city's
 * planners and the apps that embed its maps; all are settings (config.ts).
 */
import type { Context } from 'hono';
import { HttpError } from './error-codes.ts';
import { principalOf } from './route-access.ts';
import { HeavyWork, HeavyWorkFull } from '../limits/heavy-work.ts';
import { RateLimiter, type BucketRule } from '../limits/rate-limiter.ts';

export type LimitClass = 'isochroneMany' | 'suggest' | 'exact';

export interface RequestLimitOptions {
  /** A POST /api/isochrone with more origins than this is an expensive request. */
  manyOrigins: number;
  /** Per client: isochrones of many origins, suggestions, exact suggestions (a perMinute of 0: no limit). */
  isochroneMany: BucketRule;
  suggest: BucketRule;
  exact: BucketRule;
  /** Heavy requests on the request thread: at most this many run, and this many wait. */
  heavyConcurrent: number;
  heavyQueued: number;
  /** Suggestions waiting for the worker beyond the one it runs. */
  suggestQueued: number;
}

export const defaultRequestLimits: RequestLimitOptions = {
  manyOrigins: 10,
  isochroneMany: { burst: 30, perMinute: 60 },
  suggest: { burst: 10, perMinute: 20 },
  exact: { burst: 5, perMinute: 10 },
  heavyConcurrent: 1,
  heavyQueued: 8,
  suggestQueued: 4,
};

export interface RequestLimits {
  readonly options: RequestLimitOptions;
  /** Counts one request of `cls` for this client; throws 429 rate_limited with Retry-After when over. */
  charge(c: Context, cls: LimitClass): void;
  /** Runs heavy request-thread work under the cap; 503 busy with Retry-After when the queue is full. */
  heavy<T>(job: () => Promise<T> | T): Promise<T>;
  /** Runs a suggestion under the worker queue's cap; 503 busy when full. */
  suggestion<T>(job: () => Promise<T>): Promise<T>;
  stats(): RequestLimitStats;
}

/** Work running and waiting now, and what was refused since start (counts for /metrics). */
export interface RequestLimitStats {
  heavy: { running: number; waiting: number };
  suggestions: { running: number; waiting: number };
  /** Requests refused 429 by class, and 503 busy by queue. */
  refused: { rateLimited: Record<LimitClass, number>; busy: { heavy: number; suggestions: number } };
}

/** A rule from a rate alone: half a minute's worth may come at once. */
export function ruleOf(perMinute: number): BucketRule {
  return { perMinute, burst: Math.max(1, Math.ceil(perMinute / 2)) };
}

/** The client a request counts against: its token, else its address. */
export function clientKey(c: Context): string {
  const principal = principalOf(c);
  if (principal) return `token:${principal.tokenId}`;
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return `address:${incoming?.socket?.remoteAddress ?? 'unknown'}`;
}

/** Runs `job` under a cap; a full queue becomes 503 busy with Retry-After, saying `what` is full. */
async function capped<T>(work: HeavyWork, job: () => Promise<T> | T, what: string, onFull: () => void): Promise<T> {
  try {
    return await work.run(job);
  } catch (error) {
    if (!(error instanceof HeavyWorkFull)) throw error;
    onFull();
    throw new HttpError('busy', `${what}: try again in ${error.retryAfterS} s`, undefined, { headers: { 'Retry-After': String(error.retryAfterS) } });
  }
}

export function createRequestLimits(options: Partial<RequestLimitOptions> = {}): RequestLimits {
  const opts: RequestLimitOptions = { ...defaultRequestLimits, ...options };
  const rates = new RateLimiter<LimitClass>({ isochroneMany: opts.isochroneMany, suggest: opts.suggest, exact: opts.exact });
  const heavy = new HeavyWork(opts.heavyConcurrent, opts.heavyQueued);
  const suggestions = new HeavyWork(1, opts.suggestQueued);
  const refused: RequestLimitStats['refused'] = { rateLimited: { isochroneMany: 0, suggest: 0, exact: 0 }, busy: { heavy: 0, suggestions: 0 } };
  const words: Record<LimitClass, string> = {
    isochroneMany: `isochrones of more than ${opts.manyOrigins} origins`,
    suggest: 'site suggestions',
    exact: 'exact site suggestions',
  };
  return {
    options: opts,
    charge(c, cls) {
      const taken = rates.take(cls, clientKey(c));
      if (taken.ok) return;
      refused.rateLimited[cls]++;
      const rule = opts[cls];
      throw new HttpError('rate_limited', `too many ${words[cls]} from this client (at most ${rule.perMinute} a minute, ${rule.burst} at once): try again in ${taken.retryAfterS} s`, undefined, {
        headers: { 'Retry-After': String(taken.retryAfterS) },
      });
    },
    heavy: (job) => capped(heavy, job, 'too many heavy requests are running', () => refused.busy.heavy++),
    suggestion: (job) => capped(suggestions, job, 'too many site suggestions are waiting', () => refused.busy.suggestions++),
    stats: () => ({
      heavy: heavy.stats(),
      suggestions: suggestions.stats(),
      refused: { rateLimited: { ...refused.rateLimited }, busy: { ...refused.busy } },
    }),
  };
}
