/**
 * The answer card of a place (GET /api/place), drawn into the panel: which
 * life-circle tiers (5, 10, 15 minutes) the place meets and which it
 * misses, then, tier by tier, the nearest center of each kind with its walk
 * time and distance. Met and missed are said in words with a ✓ or ✗ beside
 * them, never by colour alone. Each kind with a center is a toggle button:
 * choosing it shows its route on the map (one at a time). A short summary
 * is written to a polite live region, so a screen reader hears the answer
 * without leaving the search box or the map.
 *
 * The functions take data and write DOM; the caller (residents.js) keeps
 * the state.
 */
import { formatDistance, formatWalk, has, language, t } from './i18n.js';
import { el } from './panel.js';

/**
 * A list in the user's language: "小学、菜市场和公园", "school, market and park".
 * @param {string[]} items
 */
const listOf = (items) => new Intl.ListFormat(language(), { style: 'long', type: 'conjunction' }).format(items);

/** The tiers in the order the card lists them. */
const TIERS = /** @type {const} */ ([5, 10, 15]);

/**
 * @typedef {import('./api.js').Place} Place
 * @typedef {import('./api.js').PlaceKind} PlaceKind
 */

/**
 * A facility kind's name in the user's language: the string files' name
 * where they have one, else the server's name in Chinese or English.
 * @param {Pick<PlaceKind, 'kind' | 'name' | 'name_zh'>} kind
 */
export function kindName(kind) {
  if (has(`kind.${kind.kind}`)) return t(`kind.${kind.kind}`);
  return (language() === 'zh-CN' ? kind.name_zh : kind.name) || kind.kind;
}

/**
 * The kind whose route the card shows first: the neighbourhood center
 * (what the map is about) when there is one, else the first kind with a center.
 * @param {Place} place
 * @returns {string | null}
 */
export function defaultKind(place) {
  const withCenter = place.kinds.filter((k) => k.center && k.route);
  return (withCenter.find((k) => k.kind === 'neighborhood') ?? withCenter[0])?.kind ?? null;
}

/**
 * The tier line: "✓ 5分钟生活圈：达标" or "✗ 10分钟生活圈：未达标（缺：小学）".
 * @param {Place['tiers'][number]} tier
 * @param {Place} place
 */
function tierItem(tier, place) {
  const missed = tier.met ? [] : place.kinds.filter((k) => tier.kinds.includes(k.kind) && !k.met).map(kindName);
  const text = t(tier.met ? 'place.tierMet' : 'place.tierMissed', { m: tier.minutes });
  return el('li', { class: `tier ${tier.met ? 'met' : 'missed'}`, 'data-minutes': String(tier.minutes), 'data-met': String(tier.met) }, [
    el('span', { class: 'icon', 'aria-hidden': 'true' }, [tier.met ? '✓' : '✗']),
    el('span', {}, [text, missed.length > 0 ? el('span', { class: 'missing' }, [t('place.missingKinds', { kinds: listOf(missed) })]) : '']),
  ]);
}

/**
 * One kind's row: a toggle that shows its route, or plain text when it has no center.
 * @param {PlaceKind} kind
 * @param {boolean} selected
 * @param {(kind: string) => void} onSelect
 */
function kindRow(kind, selected, onSelect) {
  const verdictText = kind.center
    ? t(kind.met ? 'place.within' : 'place.beyond', { m: kind.minutes })
    : t(kind.centers > 0 ? 'place.noneWithinReach' : 'place.noneInData');
  const parts = [
    el('span', { class: 'kind-name' }, [kindName(kind)]),
    el('span', { class: 'kind-center' }, [kind.center?.name ?? '']),
    kind.center && kind.walk_seconds !== null
      ? el('span', { class: 'walk' }, [el('strong', {}, [formatWalk(kind.walk_seconds)]), ` · ${formatDistance(kind.distance_m ?? 0)}`])
      : '',
    el('span', { class: `verdict ${kind.met ? 'met' : 'missed'}` }, [el('span', { class: 'icon', 'aria-hidden': 'true' }, [kind.met ? '✓' : '✗']), ' ', verdictText]),
  ];
  const data = {
    'data-kind': kind.kind,
    'data-minutes': String(kind.minutes),
    'data-met': String(kind.met),
    ...(kind.walk_seconds !== null ? { 'data-walk-seconds': String(kind.walk_seconds) } : {}),
  };
  if (!kind.center || !kind.route) return el('li', { class: 'kind-row none', ...data }, parts);
  const button = el('button', { type: 'button', class: 'kind-row', 'aria-pressed': String(selected), ...data }, parts);
  button.addEventListener('click', () => onSelect(kind.kind));
  return el('li', {}, [button]);
}

/**
 * Draws the card.
 * @param {HTMLElement} body where the card goes (#nearest-body)
 * @param {Place} place
 * @param {{ label: string, selected: string | null, onSelect: (kind: string) => void }} options
 */
export function renderPlaceCard(body, place, { label, selected, onSelect }) {
  const tiers = TIERS.map((m) => place.tiers.find((tier) => tier.minutes === m)).filter((tier) => tier !== undefined);
  const groups = tiers.map((tier) => {
    const kinds = place.kinds.filter((k) => k.minutes === tier.minutes);
    if (kinds.length === 0) return '';
    const heading = el('h3', { id: `place-tier-${tier.minutes}` }, [t('place.tierHeading', { m: tier.minutes, distance: formatDistance(tier.distance_m) })]);
    return el('div', { class: 'tier-group' }, [
      heading,
      el('ul', { class: 'kinds', 'aria-labelledby': heading.id }, kinds.map((k) => kindRow(k, k.kind === selected, onSelect))),
    ]);
  });
  body.replaceChildren(
    el('p', { class: 'place-label' }, [label]),
    el('h3', { id: 'place-tiers-heading' }, [t('place.tiersTitle')]),
    el('ul', { class: 'tiers', 'aria-labelledby': 'place-tiers-heading' }, tiers.map((tier) => tierItem(tier, place))),
    el('p', { class: 'hint' }, [t('place.chooseRoute')]),
    ...groups,
  );
}

/**
 * Marks the chosen kind's row as pressed (the others not).
 * @param {HTMLElement} body
 * @param {string | null} kind
 */
export function markSelected(body, kind) {
  for (const button of body.querySelectorAll('button.kind-row')) {
    button.setAttribute('aria-pressed', String(/** @type {HTMLElement} */ (button).dataset.kind === kind));
  }
}

/**
 * The card in one or two sentences, for the live region.
 * @param {Place} place
 * @param {string} label
 */
export function placeSummary(place, label) {
  const met = place.tiers.filter((tier) => tier.met).map((tier) => String(tier.minutes));
  const missed = place.tiers.filter((tier) => !tier.met).map((tier) => String(tier.minutes));
  const parts = [label];
  if (met.length > 0) parts.push(t('place.summaryMet', { tiers: listOf(met) }));
  if (missed.length > 0) parts.push(t('place.summaryMissed', { tiers: listOf(missed) }));
  return parts.join(' ');
}

/**
 * What the live region says when a route is shown.
 * @param {PlaceKind} kind
 */
export function routeSummary(kind) {
  return t('place.routeShown', {
    kind: kindName(kind),
    center: kind.center?.name ?? '',
    walk: formatWalk(kind.walk_seconds ?? 0),
    distance: formatDistance(kind.distance_m ?? 0),
  });
}
