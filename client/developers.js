/**
 * The developers page (developers.html): both code samples are run on the
 * page itself, so what a developer copies is what they saw work.
 *
 * - The iframe for /embed is built here as an element, put in the preview
 *   and shown as its own outerHTML: the snippet is the running element.
 *   The form's choices (mode, legend) and the page's language change both.
 * - The MapLibre example is a whole page the server writes for this
 *   server's address (GET /developers/example.html, in the reader's
 *   language): the same URL's text is shown and loaded in the preview frame.
 *
 * Copy buttons use the Clipboard API, and fall back to selecting the text in
 * a hidden text area and `document.execCommand('copy')` where the API is
 * missing or refused (pages over plain http on another host than localhost,
 * older browsers).
 */
import { chooseLanguage, language, onLanguageChange, setLanguage, startIn, storedLanguage, t } from './i18n.js';

/** How long a copy button says "copied", ms. */
const COPIED_MS = 2000;
/** The preview frames' height, CSS pixels (the snippet's too). */
const FRAME_HEIGHT = 420;

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`developers.html has no #${id}`);
  return element;
}

/** The page's title in its language (applyTranslations sets the map's). */
function setTitle() {
  document.title = `${t('app.title')} · ${t('dev.short')}`;
}

/**
 * The /embed address the form describes, in the page's language.
 * @returns {string}
 */
function embedUrl() {
  const query = new URLSearchParams();
  const mode = /** @type {HTMLSelectElement} */ (byId('embed-mode')).value;
  if (mode !== 'coverage') query.set('mode', mode);
  if (/** @type {HTMLInputElement} */ (byId('embed-panel')).checked) query.set('panel', 'legend');
  query.set('lang', language());
  return `${location.origin}/embed?${query}`;
}

/** The iframe snippet: built, run in the preview, and shown as the element's own markup. */
function renderEmbed() {
  const frame = document.createElement('iframe');
  frame.setAttribute('src', embedUrl());
  frame.setAttribute('title', t('dev.embed.frameTitle'));
  frame.setAttribute('width', '100%');
  frame.setAttribute('height', String(FRAME_HEIGHT));
  frame.setAttribute('style', 'border: 0');
  frame.setAttribute('loading', 'lazy');
  byId('embed-preview').replaceChildren(frame);
  byId('embed-code').textContent = frame.outerHTML;
}

/** The MapLibre example: its text shown, the same address run in the preview frame. */
async function renderExample() {
  const url = `/developers/example.html?lang=${encodeURIComponent(language())}`;
  const code = byId('example-code');
  code.textContent = t('coverage.loading');
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    code.textContent = await response.text();
  } catch (error) {
    code.textContent = `${t('dev.exampleFailed')} ${error instanceof Error ? error.message : String(error)}`;
    return;
  }
  const frame = document.createElement('iframe');
  frame.src = url;
  frame.title = t('dev.maplibre.frameTitle');
  frame.height = String(FRAME_HEIGHT);
  frame.loading = 'lazy';
  byId('example-preview').replaceChildren(frame);
}

/**
 * Copies text without the Clipboard API: a selected, off-screen text area.
 * @param {string} text
 * @returns {boolean} whether the browser says it copied
 */
function copyBySelection(text) {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  return copied;
}

/**
 * @param {string} text
 * @returns {Promise<boolean>}
 */
async function copyText(text) {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (no permission, not a secure context): try the old way.
  }
  return copyBySelection(text);
}

/** Each copy button copies its code block and says whether it did. */
function wireCopyButtons() {
  for (const button of /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll('button[data-copy]'))) {
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let reset;
    button.addEventListener('click', async () => {
      const source = byId(button.dataset.copy ?? '');
      const copied = await copyText(source.textContent ?? '');
      button.textContent = t(copied ? 'dev.copied' : 'dev.copyFailed');
      clearTimeout(reset);
      reset = setTimeout(() => (button.textContent = t('dev.copy')), COPIED_MS);
    });
  }
}

function start() {
  startIn(chooseLanguage({ address: new URLSearchParams(location.search).get('lang'), stored: storedLanguage(), browser: navigator.languages }));
  setTitle();
  byId('language-switch').addEventListener('click', () => setLanguage(language() === 'zh-CN' ? 'en' : 'zh-CN'));
  onLanguageChange(() => {
    setTitle();
    renderEmbed();
    renderExample();
  });
  byId('embed-form').addEventListener('change', renderEmbed);
  byId('embed-form').addEventListener('submit', (event) => event.preventDefault());
  wireCopyButtons();
  renderEmbed();
  renderExample();
}

start();
