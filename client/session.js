/**
 * Who the client acts as: a bearer token, given once in the link the server
 * prints on its first start (http://localhost:8080/#token=...), or pasted by
 * a planner into the sign-in (planner-session.js). The token is kept for
 * this browser tab's session only (sessionStorage: closing the tab or
 * signing out forgets it), taken out of the address bar at once (so it is
 * not bookmarked or shared by accident), and sent with the API's requests
 * (writes need it; private deployments need it for reads and tiles too).
 * Only same-origin requests carry it.
 */

const KEY = 'living-circle.token';

/** The tab's storage, or null when the browser refuses it (private mode). */
function tabStorage() {
  try {
    return sessionStorage;
  } catch {
    return null;
  }
}

/**
 * Keeps a token for this tab's session.
 * @param {string} token
 */
export function keepToken(token) {
  try {
    tabStorage()?.setItem(KEY, token);
  } catch {
    // Storage refused: the token is not kept; writes will ask again.
  }
}

/** Reads a token from the address's #token=..., keeps it, and removes it from the address. */
export function takeTokenFromAddress() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match) return;
  keepToken(decodeURIComponent(match[1] ?? ''));
  history.replaceState(null, '', location.pathname + location.search);
}

/**
 * The kept token, or null. A token an earlier version kept in localStorage
 * (for good) is moved into this tab's session.
 */
export function currentToken() {
  try {
    const kept = tabStorage()?.getItem(KEY);
    if (kept) return kept;
    const earlier = localStorage.getItem(KEY);
    if (earlier) {
      localStorage.removeItem(KEY);
      keepToken(earlier);
    }
    return earlier;
  } catch {
    return null;
  }
}

/** Forgets the token (sign out). */
export function forgetToken() {
  for (const storage of [tabStorage, () => localStorage]) {
    try {
      storage()?.removeItem(KEY);
    } catch {
      // Nothing kept there.
    }
  }
}

/**
 * The Authorization header for a URL of this origin, when a token is kept.
 * @param {string} url
 * @returns {Record<string, string>}
 */
export function authHeaders(url) {
  const token = currentToken();
  if (!token) return {};
  const target = new URL(url, location.href);
  return target.origin === location.origin ? { authorization: `Bearer ${token}` } : {};
}
