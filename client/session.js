/**
 * Who the client acts as: a bearer token, given once in the link the server
 * prints on its first start (http://localhost:8080/#token=...), or pasted by
 * the user. The token is kept in this browser's localStorage, taken out of
 * the address bar at once (so it is not bookmarked or shared by accident),
 * and sent with the API's requests (writes need it; private deployments need
 * it for reads and tiles too). Only same-origin requests carry it.
 */

const KEY = 'living-circle.token';

/** Reads a token from the address's #token=..., keeps it, and removes it from the address. */
export function takeTokenFromAddress() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match) return;
  try {
    localStorage.setItem(KEY, decodeURIComponent(match[1] ?? ''));
  } catch {
    // Storage refused (private mode): the token is not kept; writes will ask again.
  }
  history.replaceState(null, '', location.pathname + location.search);
}

/** The kept token, or null. */
export function currentToken() {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** Forgets the token (sign out). */
export function forgetToken() {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing kept.
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
