/**
 * The living-circle check on the live coverage: made on first request for a
 * data version and options (profile, strict), kept with that live state
 * (a new state, after any change, starts afresh), and shared by the route
 * and the households tiles coloured by the tiers they meet.
 */
import type { WalkProfileName } from '../../kernel/walk-speed.ts';
import type { CoverageService, LiveCoverage } from '../coverage/coverage-service.ts';
import { checkStandard, type StandardCheck } from './standard-check.ts';

export interface StandardOptions {
  /** One profile for every kind; undefined: elderly for elderly-care kinds, default for the rest. */
  profile?: WalkProfileName;
  /** Kinds the data has none of make their tier unmet. */
  strict?: boolean;
}

export interface StandardService {
  check(options?: StandardOptions): Promise<{ live: LiveCoverage; check: StandardCheck }>;
}

export function createStandardService(coverage: CoverageService): StandardService {
  const checks = new WeakMap<LiveCoverage, Map<string, StandardCheck>>();
  return {
    async check(options = {}) {
      const live = await coverage.ready();
      let byOptions = checks.get(live);
      if (!byOptions) checks.set(live, (byOptions = new Map()));
      const key = `${options.profile ?? ''}|${options.strict ? 1 : 0}`;
      let check = byOptions.get(key);
      if (!check) {
        check = checkStandard((profile) => live.forProfile(profile).model, options);
        byOptions.set(key, check);
      }
      return { live, check };
    },
  };
}
