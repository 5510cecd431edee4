/**
 * Small DOM helpers shared by the planner tools (suggestions, exports, the
 * printable report): an element with attributes and children, an SVG
 * element, and a file download from text. Text always goes in as text
 * nodes, never as markup, so nothing the API answers becomes HTML.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * A new HTML element.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string>} [attributes]
 * @param {(Node | string)[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attributes = {}, children = []) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  element.append(...children);
  return element;
}

/**
 * A new SVG element.
 * @param {string} tag
 * @param {Record<string, string | number>} [attributes]
 * @param {(Node | string)[]} [children]
 * @returns {SVGElement}
 */
export function svg(tag, attributes = {}, children = []) {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  element.append(...children);
  return /** @type {SVGElement} */ (element);
}

/**
 * Offers text or bytes as a file to save: a Blob behind a temporary download link.
 * @param {string} filename
 * @param {string | Blob} content
 * @param {string} type the media type, with its charset
 */
export function download(filename, content, type) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = el('a', { href: url, download: filename, hidden: '' });
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the click; the URL can go once the browser read it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Today as yyyy-mm-dd in local time, for file names.
 * @param {Date} [when]
 */
export function isoDay(when = new Date()) {
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}`;
}
