/**
 * Site suggestions in the panel (POST /api/plan/suggest): a form (k new
 * sites or a target share, the walk threshold, the kind, greedy or exact,
 * optionally on top of the open scenario), the running request with its
 * elapsed time and a cancel button, and the answer: the sites numbered on
 * the map and listed with what each adds, the coverage curve
 * (coverage-chart.js), the bound on the optimum and the gap to it, and one
 * button that stores the sites as a scenario and opens it.
 *
 * The API reports no progress while it works, so the wait shows an
 * indeterminate bar with the time so far (and the exact method's time
 * limit). Cancel aborts the request; the server then stops its worker
 * (server/planning/suggest/suggest-runner.ts), so the next request does
 * not wait behind the abandoned one.
 */
import { fetchScenarioById, requestSuggestion, saveSuggestionScenario } from './api.js';
import { coverageChart } from './coverage-chart.js';
import { formatNumber, formatPercent, has, onLanguageChange, t } from './i18n.js';
import { openScenario } from './open-scenario.js';
import { byId, clearMessages, showError, showNote } from './panel.js';
import { el, isoDay } from './planner-dom.js';

/** @typedef {import('./api.js').Suggestion} Suggestion */
/** @typedef {import('./planner-tools.js').PlannerState} PlannerState */

/** The exact method's budget, seconds (the API's default, said in the progress line). */
const EXACT_TIME_LIMIT_S = 60;
/** How often the elapsed time is redrawn, ms. */
const TICK_MS = 500;
/** The sites' zoom when one is picked from the list. */
const SITE_ZOOM = 15;

/** @type {typeof import('maplibre-gl') | undefined} */
const maplibregl = /** @type {any} */ (globalThis).maplibregl;

/**
 * @param {string} id
 * @returns {HTMLInputElement & HTMLSelectElement}
 */
const field = (id) => /** @type {HTMLInputElement & HTMLSelectElement} */ (byId(id));

/**
 * The request the form describes.
 * @param {PlannerState} state
 * @returns {Record<string, unknown>}
 */
function readForm(state) {
  const objective = field('suggest-objective').value;
  /** @type {Record<string, unknown>} */
  const body = { minutes: Number(field('suggest-minutes').value), method: field('suggest-method').value };
  if (objective === 'share') body.target_share = Math.min(1, Math.max(0.001, Number(field('suggest-share').value) / 100));
  else body.k = Math.min(50, Math.max(1, Math.round(Number(field('suggest-k').value) || 1)));
  const kind = field('suggest-kind').value;
  if (kind) body.kind = kind;
  if (body.method === 'exact') body.time_limit_s = EXACT_TIME_LIMIT_S;
  if (state.scenario !== null && field('suggest-on-scenario').checked) body.scenario = state.scenario;
  return body;
}

/**
 * The numbered markers of the suggested sites.
 * @param {import('maplibre-gl').Map} map
 */
function siteMarkers(map) {
  /** @type {import('maplibre-gl').Marker[]} */
  let markers = [];
  return {
    /** @param {Suggestion | null} answer */
    show(answer) {
      for (const marker of markers) marker.remove();
      markers = [];
      if (!answer || !maplibregl) return;
      for (const site of answer.sites) {
        const element = el('div', {
          class: 'suggest-marker',
          'data-rank': String(site.rank),
          'data-lon': String(site.lon),
          'data-lat': String(site.lat),
          title: t('suggest.siteTitle', { n: site.rank, gained: formatNumber(site.gained.households) }),
        }, [String(site.rank)]);
        markers.push(new maplibregl.Marker({ element }).setLngLat([site.lon, site.lat]).addTo(map));
      }
    },
  };
}

/**
 * A status in the reader's words.
 * @param {Suggestion} answer
 */
function statusText(answer) {
  const key = `suggest.status.${answer.status}`;
  return has(key) ? t(key) : answer.status;
}

/**
 * The bound on the optimum and the gap, as the API reports them.
 * @param {Suggestion} answer
 */
function boundText(answer) {
  const { bound } = answer;
  // 'exact (dual bound)' -> suggest.boundSource.exact_dual_bound
  const sourceKey = `suggest.boundSource.${bound.source.replace(/[^a-z]+/g, '_').replace(/^_|_$/g, '')}`;
  const source = has(sourceKey) ? t(sourceKey) : bound.source;
  if (bound.gap === null) return t('suggest.bound.unreachable', { limit: 50 });
  if (answer.objective === 'max_coverage') {
    return t('suggest.bound.coverage', {
      share: formatPercent(bound.share, 2),
      weight: formatNumber(bound.weight),
      gap: formatPercent(bound.gap, 2),
      source,
    });
  }
  return t('suggest.bound.sites', { sites: formatNumber(bound.sites), gap: formatNumber(bound.gap), source });
}

/**
 * The answer in the panel: summary, chart, sites and the button that stores them.
 * @param {Suggestion} answer
 * @param {{ onSite(site: Suggestion['sites'][number]): void, onSave(name: string): void }} actions
 */
function renderAnswer(answer, actions) {
  const { before, after, gained } = answer.totals;
  const summary = el('dl', { class: 'suggest-summary' }, [
    el('dt', {}, [t('suggest.result.status')]),
    el('dd', { class: `status ${answer.status}` }, [statusText(answer)]),
    el('dt', {}, [t('suggest.result.coverage')]),
    el('dd', {}, [t('suggest.result.coverageChange', {
      before: formatPercent(before.share, 1),
      after: formatPercent(after.share, 1),
      gained: formatNumber(gained.households),
    })]),
    el('dt', {}, [t('suggest.result.bound')]),
    el('dd', { class: 'bound' }, [boundText(answer)]),
  ]);
  if (answer.scenario) {
    summary.append(el('dt', {}, [t('suggest.result.base')]), el('dd', { class: 'base' }, [t('suggest.result.baseScenario', { id: answer.scenario.id })]));
  }
  if (answer.target) {
    summary.append(el('dt', {}, [t('suggest.result.target')]), el('dd', {}, [t(answer.target.reached ? 'suggest.result.reached' : 'suggest.result.notReached', { share: formatPercent(answer.target.share, 1) })]));
  }
  const chart = coverageChart({
    before: { share: before.share, weight: before.weight },
    curve: answer.curve,
    boundShare: answer.objective === 'max_coverage' ? answer.bound.share : null,
    targetShare: answer.target?.share ?? null,
  });
  const sites = el('ol', { class: 'suggest-sites' }, answer.sites.map((site, i) => {
    const go = el('button', { type: 'button', class: 'site-rank', 'aria-label': t('suggest.showSite', { n: site.rank }) }, [String(site.rank)]);
    go.addEventListener('click', () => actions.onSite(site));
    return el('li', { 'data-rank': String(site.rank) }, [
      go,
      el('span', { class: 'gain' }, [t('suggest.siteGain', { gained: formatNumber(site.gained.households) })]),
      el('span', { class: 'share' }, [formatPercent(answer.curve[i]?.share, 1)]),
    ]);
  }));
  const name = el('input', { id: 'suggest-scenario-name', type: 'text', value: defaultName(answer) });
  const save = el('button', { id: 'suggest-save', type: 'button' }, [t('suggest.save')]);
  save.addEventListener('click', () => actions.onSave(name.value.trim() || defaultName(answer)));
  const saveRow = answer.sites.length > 0
    ? el('div', { class: 'suggest-save' }, [el('label', {}, [t('suggest.scenarioName'), name]), save])
    : el('p', { class: 'hint' }, [t('suggest.noSites')]);
  byId('suggest-result').replaceChildren(
    el('h3', {}, [t('suggest.result.title', { n: answer.sites.length, minutes: answer.minutes })]),
    summary,
    el('figure', { class: 'suggest-chart' }, [chart, el('figcaption', {}, [t('suggest.chart.caption')])]),
    el('h3', {}, [t('suggest.sites')]),
    sites,
    saveRow,
  );
}

/**
 * A scenario name in the reader's language.
 * @param {Suggestion} answer
 */
function defaultName(answer) {
  return t('suggest.defaultName', { n: answer.sites.length, minutes: answer.minutes, date: isoDay() });
}

/**
 * What the scenario's description says about where its sites came from.
 * @param {Suggestion} answer
 */
function description(answer) {
  const text = t('suggest.description', {
    method: t(`suggest.methodName.${answer.method}`),
    status: statusText(answer),
    gained: formatNumber(answer.totals.gained.households),
    minutes: answer.minutes,
  });
  return answer.scenario ? `${text} ${t('suggest.descriptionOnScenario', { id: answer.scenario.id })}` : text;
}

/**
 * Wires the suggestion form in #suggest.
 * @param {import('maplibre-gl').Map} map
 * @param {PlannerState} state
 */
export function mountSuggestPanel(map, state) {
  const markers = siteMarkers(map);
  /** @type {AbortController | null} */
  let running = null;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let ticker;

  const objective = field('suggest-objective');
  const syncObjective = () => {
    const share = objective.value === 'share';
    byId('suggest-k-row').hidden = share;
    byId('suggest-share-row').hidden = !share;
  };
  objective.addEventListener('change', syncObjective);
  syncObjective();

  const syncScenario = () => {
    byId('suggest-on-scenario-row').hidden = state.scenario === null;
    byId('suggest-on-scenario-label').textContent = state.scenario === null ? '' : t('suggest.onScenario', { id: state.scenario });
  };
  state.onChange((what) => what === 'scenario' && syncScenario());
  syncScenario();

  /** @param {boolean} busy @param {string} [method] */
  const setBusy = (busy, method) => {
    const started = performance.now();
    field('suggest-run').disabled = busy;
    byId('suggest-cancel').hidden = !busy;
    byId('suggest-progress').hidden = !busy;
    byId('suggest').setAttribute('aria-busy', String(busy));
    clearInterval(ticker);
    if (!busy) return;
    const tick = () => {
      const seconds = Math.floor((performance.now() - started) / 1000);
      byId('suggest-elapsed').textContent = method === 'exact'
        ? t('suggest.progress.exact', { s: seconds, limit: EXACT_TIME_LIMIT_S })
        : t('suggest.progress', { s: seconds });
    };
    tick();
    ticker = setInterval(tick, TICK_MS);
  };

  const show = () => {
    markers.show(state.suggestion);
    if (state.suggestion) renderAnswer(state.suggestion, { onSite, onSave });
    else byId('suggest-result').replaceChildren();
  };

  /** @param {Suggestion['sites'][number]} site */
  const onSite = (site) => map.flyTo({ center: [site.lon, site.lat], zoom: Math.max(map.getZoom(), SITE_ZOOM) });

  /** @param {string} name */
  const onSave = async (name) => {
    const answer = state.suggestion;
    if (!answer) return;
    const button = field('suggest-save');
    button.disabled = true;
    clearMessages();
    try {
      // The API names the sites in Chinese; the scenario gets them in the reader's language.
      const sites = answer.changes.map((change, i) => ({ ...change, name: t('suggest.siteName', { n: i + 1 }) }));
      // Sites suggested on top of a scenario need its changes too: they were chosen with its centers in place.
      const base = answer.scenario ? (await fetchScenarioById(answer.scenario.id)).changes : [];
      const scenario = await saveSuggestionScenario({ name, description: description(answer), changes: [...base, ...sites] });
      showNote(t('suggest.saved', { id: scenario.id, name: scenario.name }));
      openScenario(scenario.id);
    } catch (error) {
      showError(t('suggest.saveError'), error);
    } finally {
      button.disabled = false;
    }
  };

  const run = async () => {
    if (running) return;
    const body = readForm(state);
    const controller = new AbortController();
    running = controller;
    clearMessages();
    setBusy(true, String(body.method));
    try {
      const answer = await requestSuggestion(body, controller.signal);
      state.setSuggestion(answer);
      fitSites(map, answer);
      // The answer starts at the top of the panel (on a phone the panel is a small part of the screen).
      byId('suggest-result').scrollIntoView({ block: 'start' });
    } catch (error) {
      // A cancel is the planner's choice, not a failure.
      if (controller.signal.aborted) showNote(t('suggest.cancelled'));
      else showError(t('suggest.error'), error);
    } finally {
      running = null;
      setBusy(false);
    }
  };

  byId('suggest-form').addEventListener('submit', (event) => {
    event.preventDefault();
    run();
  });
  byId('suggest-cancel').addEventListener('click', () => running?.abort());
  byId('suggest-clear').addEventListener('click', () => state.setSuggestion(null));
  state.onChange((what) => what === 'suggestion' && show());
  onLanguageChange(() => {
    show();
    syncScenario();
  });
}

/**
 * Shows every suggested site (and no more than a district's zoom).
 * @param {import('maplibre-gl').Map} map
 * @param {Suggestion} answer
 */
function fitSites(map, answer) {
  if (answer.sites.length === 0 || !maplibregl) return;
  const bounds = new maplibregl.LngLatBounds();
  for (const site of answer.sites) bounds.extend([site.lon, site.lat]);
  map.fitBounds(bounds, { padding: 60, maxZoom: 14, duration: 0 });
}

