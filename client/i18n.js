/**
 * The client's words and formats in the reader's language: Simplified
 * Chinese by default, English by the visible switch, by `?lang=` in the
 * address, or by the browser's language when it asks for no Chinese. Every
 * string lives in one file per language (locale-zh-CN.js, locale-en.js,
 * same keys; a test fails when one lacks a key); numbers, percentages,
 * walk times, distances and dates go through Intl in the same language.
 *
 * Static text in the HTML carries `data-i18n="key"` (text) or
 * `data-i18n-attr="aria-label:key;placeholder:key"` (attributes), and
 * applyTranslations() fills it; code calls t(). One language per page: the
 * choice is the page's, kept in localStorage, and listeners re-render what
 * they drew when it changes.
 */
import en from './locale-en.js';
import zh from './locale-zh-CN.js';

/** @typedef {'zh-CN' | 'en'} Language */
/** @typedef {Record<string, string>} Strings */

/** The languages, with their strings. @type {Record<Language, Strings>} */
export const STRINGS = { 'zh-CN': zh, en };
/** @type {Language[]} */
export const LANGUAGES = ['zh-CN', 'en'];
export const DEFAULT_LANGUAGE = /** @type {Language} */ ('zh-CN');

const STORAGE_KEY = 'living-circle.lang';

/** @type {Language} */
let current = DEFAULT_LANGUAGE;
/** @type {Set<(language: Language) => void>} */
const listeners = new Set();

/**
 * A language code as we name it, or undefined: `zh`, `zh-CN`, `zh-Hans` are
 * Chinese; `en`, `en-GB` are English.
 * @param {string | null | undefined} code
 * @returns {Language | undefined}
 */
export function languageOf(code) {
  const lower = String(code ?? '').toLowerCase();
  if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  return undefined;
}

/**
 * The language to start in: the address's `lang`, else the one chosen
 * before on this browser, else the browser's languages (Chinese unless it
 * lists English before any Chinese), else Chinese.
 * @param {{ address?: string | null, stored?: string | null, browser?: readonly string[] }} sources
 * @returns {Language}
 */
export function chooseLanguage({ address, stored, browser = [] }) {
  const asked = languageOf(address) ?? languageOf(stored);
  if (asked) return asked;
  for (const code of browser) {
    const language = languageOf(code);
    if (language) return language;
  }
  return DEFAULT_LANGUAGE;
}

/** @returns {Language} */
export function language() {
  return current;
}

/**
 * A string in the current language, with `{name}` placeholders filled. A key
 * missing in the current language falls back to Chinese, then to the key
 * itself (the key test keeps both from happening).
 * @param {string} key
 * @param {Record<string, string | number>} [params]
 * @returns {string}
 */
export function t(key, params) {
  const text = STRINGS[current][key] ?? STRINGS[DEFAULT_LANGUAGE][key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/**
 * Whether a key exists (for labels built from data, such as a center kind).
 * @param {string} key
 */
export function has(key) {
  return key in STRINGS[current];
}

/**
 * Fills every `data-i18n` and `data-i18n-attr` under root, and `<html lang>`.
 * @param {ParentNode} [root]
 */
export function applyTranslations(root = document) {
  for (const element of root.querySelectorAll('[data-i18n]')) {
    element.textContent = t(/** @type {HTMLElement} */ (element).dataset.i18n ?? '');
  }
  for (const element of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of (/** @type {HTMLElement} */ (element).dataset.i18nAttr ?? '').split(';')) {
      const [attribute, key] = pair.split(':').map((s) => s.trim());
      if (attribute && key) element.setAttribute(attribute, t(key));
    }
  }
  document.documentElement.lang = current;
  document.title = t('app.title');
}

/**
 * Switches the page's language: kept for this browser, applied to the
 * static text, and announced to whoever drew text of their own.
 * @param {Language} next
 */
export function setLanguage(next) {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Storage refused (private mode): the choice lasts for this page.
  }
  applyTranslations();
  for (const listener of listeners) listener(next);
}

/** The language stored by an earlier visit, if any. */
export function storedLanguage() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/**
 * Sets the starting language without announcing it (nothing is drawn yet).
 * @param {Language} first
 */
export function startIn(first) {
  current = first;
  applyTranslations();
}

/**
 * Called after every language change.
 * @param {(language: Language) => void} listener
 * @returns {() => void} stops listening
 */
export function onLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** @param {number} [digits] */
const numberFormat = (digits = 0) => new Intl.NumberFormat(current, { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * @param {number | null | undefined} value
 * @param {number} [digits]
 */
export function formatNumber(value, digits = 0) {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : numberFormat(digits).format(value);
}

/**
 * @param {number | null | undefined} share 0..1
 * @param {number} [digits]
 */
export function formatPercent(share, digits = 1) {
  if (share === null || share === undefined || !Number.isFinite(share)) return '–';
  return new Intl.NumberFormat(current, { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: digits }).format(share);
}

/**
 * A walk time: "12 分 30 秒" / "12 min 30 s".
 * @param {number} seconds
 */
export function formatWalk(seconds) {
  const total = Math.round(seconds);
  const minutes = Math.floor(total / 60);
  const rest = total % 60;
  return minutes > 0 ? t('format.minutesSeconds', { m: minutes, s: String(rest).padStart(2, '0') }) : t('format.seconds', { s: rest });
}

/**
 * A distance in metres, or kilometres from 1 km.
 * @param {number} metres
 */
export function formatDistance(metres) {
  return metres >= 1000 ? t('format.kilometres', { km: formatNumber(metres / 1000, 1) }) : t('format.metres', { m: formatNumber(metres) });
}

/**
 * A date and time in the reader's language (for reports and lists).
 * @param {Date | string | number} when
 */
export function formatDateTime(when) {
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(when));
}

/**
 * MapLibre's own control texts (its `locale` option) in the current language.
 * @returns {Record<string, string>}
 */
export function mapLibreLocale() {
  /** @type {Record<string, string>} */
  const locale = {};
  for (const [key, value] of Object.entries(STRINGS[current])) {
    if (key.startsWith('maplibre.')) locale[key.slice('maplibre.'.length)] = value;
  }
  return locale;
}
