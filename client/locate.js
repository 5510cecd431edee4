/**
 * "Use my location": one position from the browser's geolocation, as a
 * promise. Failures are not thrown as errors to log but answered as a
 * reason the page words in the user's language (`locate.<reason>` in the
 * string files): the person refused, the device could not tell, it took
 * too long, the browser has no geolocation, or the page is not on a secure
 * origin (browsers offer geolocation on https and localhost only).
 */

/** How long to wait for a position, ms; a recent one (MAX_AGE_MS) is taken at once. */
const TIMEOUT_MS = 15_000;
const MAX_AGE_MS = 60_000;

/** @typedef {'denied' | 'unavailable' | 'timeout' | 'unsupported' | 'insecure'} LocateFailure */

/**
 * @param {Geolocation | undefined} [geolocation] the browser's (a stand-in in tests)
 * @returns {Promise<{ ok: true, lonLat: [number, number], accuracy: number } | { ok: false, reason: LocateFailure }>}
 */
export function locate(geolocation = globalThis.navigator?.geolocation) {
  if (!globalThis.isSecureContext) return Promise.resolve({ ok: false, reason: 'insecure' });
  if (!geolocation) return Promise.resolve({ ok: false, reason: 'unsupported' });
  return new Promise((resolve) => {
    geolocation.getCurrentPosition(
      (position) => resolve({ ok: true, lonLat: [position.coords.longitude, position.coords.latitude], accuracy: position.coords.accuracy }),
      (error) => {
        /** @type {Record<number, LocateFailure>} */
        const reasons = { 1: 'denied', 2: 'unavailable', 3: 'timeout' };
        resolve({ ok: false, reason: reasons[error.code] ?? 'unavailable' });
      },
      { enableHighAccuracy: true, timeout: TIMEOUT_MS, maximumAge: MAX_AGE_MS },
    );
  });
}
