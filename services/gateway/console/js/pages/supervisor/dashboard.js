// The supervisor's main screen (#/dashboard): every indicator of the plan for an area (the user's jurisdiction, or
// a sub-area picked in the administrative tree) and a period, from insights. Each card has the value, what it is
// the ratio of, its definition, a trend line and a breakdown by sub-area (bar chart and table). Trends load when
// their card comes into view and breakdowns when opened, so the first screen costs one request. Live notices
// refetch what is shown. Hooks for tests: `[data-indicator="<code>"][data-value="<raw API value or empty>"]`,
// `#indicator-cards[aria-busy="false"][data-node][data-period][data-date]` once the values are in.
import { api } from '../../core/api.js';
import { divisionPicker } from '../../core/combobox.js';
import { announce, clear, debounce, formatDate, h, problemText, todayInChina } from '../../core/dom.js';
import { language, t } from '../../core/i18n.js';
import { onLive } from '../../core/live.js';
import { replaceQuery } from '../../core/router.js';
import { dataTable } from '../../core/table.js';
import { barChart, chartBox, lineChart } from './charts.js';
import {
  PERIOD_KINDS,
  TREND_COUNTS,
  axisValue,
  formatShare,
  formatValue,
  lastDay,
  periodLabel,
  rawValue,
} from './format.js';
import { shortcutsNote } from './ui.js';

/** The five societies of five-society linkage, in insights' breakdown of provider-kind-share. */
const PROVIDER_KINDS = ['community', 'social-organisation', 'social-worker', 'volunteer', 'charity'];
/** Division code lengths from the province down: a node's parent is its code cut to the level above. */
const LEVEL_LENGTHS = [2, 4, 6, 9, 12];
const LIVE_REFRESH_MS = 2000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

let definitionsLoad = null;

/** The indicators' definitions: they change only with a release, so once per page load. */
function definitions() {
  definitionsLoad ??= api('insights', '/indicators').then((answer) => answer.items);
  definitionsLoad.catch(() => {
    definitionsLoad = null;
  });
  return definitionsLoad;
}

function parentOf(code) {
  const shorter = LEVEL_LENGTHS.filter((length) => length < code.length);
  return shorter.length ? code.slice(0, shorter[shorter.length - 1]) : null;
}

const bilingual = (text) => (language() === 'en' ? text.en : text.zh);

export async function renderDashboard(main, _params, query, user) {
  // insights answers for the caller's jurisdiction when no node is asked for (an administrator's may be none).
  let home = user.jurisdiction || '';
  const state = {
    node: /^\d{2,12}$/.test(query.get('node') || '') ? query.get('node') : home,
    period: PERIOD_KINDS.includes(query.get('period')) ? query.get('period') : 'month',
    date: DATE.test(query.get('date') || '') ? query.get('date') : todayInChina(),
    nodeName: '',
  };
  const charts = new Set();
  const cards = new Map();
  let generation = 0;
  let gone = false;

  const defs = await definitions();

  // ---- filters -------------------------------------------------------------------------------------------------
  const picker = divisionPicker({
    id: 'dashboard-node',
    name: 'node',
    label: t('supervisor.dashboard.node'),
    under: home,
    hint: t('supervisor.dashboard.nodeHint'),
  });
  const periodSelect = h(
    'select',
    { id: 'dashboard-period', name: 'period' },
    PERIOD_KINDS.map((kind) =>
      h('option', { value: kind, selected: kind === state.period }, t(`supervisor.period.${kind}`)),
    ),
  );
  const dateInput = h('input', {
    id: 'dashboard-date',
    name: 'date',
    type: 'date',
    required: true,
    value: state.date,
  });
  const upButton = h(
    'button',
    { type: 'button', class: 'secondary', id: 'dashboard-up', onclick: () => go(parentOf(state.node)) },
    t('supervisor.dashboard.up'),
  );
  const mineButton = h(
    'button',
    { type: 'button', class: 'secondary', id: 'dashboard-mine', onclick: () => go(home) },
    t('supervisor.dashboard.mine'),
  );
  const form = h(
    'form',
    {
      id: 'dashboard-filters',
      class: 'dashboard-filters',
      novalidate: true,
      'aria-label': t('supervisor.dashboard.filters'),
    },
    picker.element,
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'dashboard-period' }, t('supervisor.dashboard.period')),
      periodSelect,
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'dashboard-date' }, t('supervisor.dashboard.date')),
      dateInput,
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', id: 'dashboard-apply' }, t('supervisor.dashboard.apply')),
      upButton,
      mineButton,
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const typed = picker.input.value.trim();
    // An emptied picker means "my jurisdiction"; an untouched one keeps the area shown.
    const node = picker.value || (typed ? state.node : home);
    if (!DATE.test(dateInput.value)) {
      dateInput.setAttribute('aria-invalid', 'true');
      dateInput.focus();
      return;
    }
    dateInput.removeAttribute('aria-invalid');
    state.period = periodSelect.value;
    state.date = dateInput.value;
    go(node);
  });

  // ---- the page ------------------------------------------------------------------------------------------------
  const summary = h('p', { id: 'dashboard-summary', class: 'dashboard-summary', 'aria-live': 'polite' });
  const overview = h('section', { id: 'indicator-overview', 'aria-labelledby': 'overview-title' });
  const cardList = h('ul', {
    id: 'indicator-cards',
    class: 'cards indicator-cards',
    'aria-busy': 'true',
  });
  main.append(
    h('h1', null, t('supervisor.dashboard.title')),
    h('p', { class: 'hint' }, t('supervisor.dashboard.intro')),
    form,
    summary,
    cardList,
    overview,
    shortcutsNote([
      t('supervisor.shortcuts.dashboard'),
      t('supervisor.shortcuts.escalations'),
      t('supervisor.shortcuts.apply'),
      t('supervisor.shortcuts.drill'),
    ]),
  );

  const observer =
    'IntersectionObserver' in window
      ? new IntersectionObserver(
          (entries) => {
            for (const entry of entries) {
              if (!entry.isIntersecting) continue;
              const card = cards.get(entry.target.dataset.indicator);
              if (card) void card.loadTrend();
            }
          },
          { rootMargin: '200px' },
        )
      : null;

  for (const definition of defs) {
    const card = indicatorCard(definition);
    cards.set(definition.code, card);
    cardList.append(card.element);
    if (observer) observer.observe(card.element);
  }

  function go(node) {
    if (!node) return;
    state.node = node;
    replaceQuery({ node: node === home ? undefined : node, period: state.period, date: state.date });
    void load({ announceIt: true });
  }

  function destroyCharts(set = charts) {
    for (const chart of set) chart.destroy();
    set.clear();
  }

  function context() {
    return { node: state.node || undefined, period: state.period, date: state.date };
  }

  // ---- one indicator's card ------------------------------------------------------------------------------------
  function indicatorCard(definition) {
    const { code, unit } = definition;
    const name = bilingual(definition.name);
    const titleId = `indicator-${code}-title`;
    const value = h('p', { class: 'indicator-value', id: `indicator-${code}-value` });
    const fraction = h('p', { class: 'indicator-fraction', id: `indicator-${code}-fraction` });
    const kinds = code === 'provider-kind-share' ? h('ul', { class: 'kind-shares' }) : null;
    const trendCharts = new Set();
    const breakdownCharts = new Set();
    const trendArea = h('div', { class: 'indicator-trend' });
    const trendTitle = h('h3', { class: 'indicator-subtitle' });
    const breakdownArea = h('div', { class: 'indicator-breakdown' });
    const breakdown = h(
      'details',
      { class: 'indicator-more', 'data-part': 'breakdown' },
      h('summary', null, t('supervisor.dashboard.breakdown')),
      breakdownArea,
    );
    let trendKey = null;
    let breakdownKey = null;

    const element = h(
      'li',
      {
        class: 'card indicator',
        'data-indicator': code,
        'data-value': '',
        'data-unit': unit,
        'aria-labelledby': titleId,
      },
      h('h2', { id: titleId }, name),
      value,
      fraction,
      kinds,
      h(
        'details',
        { class: 'indicator-more', 'data-part': 'definition' },
        h('summary', null, t('supervisor.dashboard.definition')),
        h(
          'dl',
          { class: 'definition' },
          h('dt', null, t('supervisor.dashboard.formula')),
          h('dd', null, bilingual(definition.formula)),
          h('dt', null, t('supervisor.dashboard.unit')),
          h('dd', null, t(`supervisor.unit.${unit}`)),
          h('dt', null, t('supervisor.dashboard.sourceEvents')),
          h(
            'dd',
            null,
            h(
              'ul',
              { class: 'source-events' },
              definition.sourceEvents.map((type) => h('li', null, h('code', null, type))),
            ),
          ),
          h('dt', null, t('supervisor.dashboard.code')),
          h('dd', null, h('code', null, code)),
        ),
      ),
      trendTitle,
      trendArea,
      breakdown,
    );

    breakdown.addEventListener('toggle', () => {
      if (breakdown.open) void loadBreakdown();
    });

    function show(item) {
      element.dataset.value = rawValue(item ? item.value : null);
      element.removeAttribute('data-pending');
      if (code === 'provider-kind-share') {
        value.textContent = '';
        value.hidden = true;
        clear(kinds);
        const shares = (item && item.breakdown) || {};
        for (const kind of PROVIDER_KINDS) {
          kinds.append(
            h(
              'li',
              { 'data-kind': kind, 'data-value': rawValue(shares[kind]) },
              h('span', { class: 'kind-name' }, t(`supervisor.providerKind.${kind}`)),
              ' ',
              h('strong', null, formatShare(shares[kind])),
            ),
          );
        }
      } else {
        value.hidden = false;
        value.textContent = formatValue(item ? item.value : null, unit);
      }
      fraction.textContent = fractionText(item);
    }

    function fractionText(item) {
      if (!item) return '';
      if (unit === 'ratio' && item.numerator !== undefined && item.numerator !== null) {
        return `${t('supervisor.dashboard.numerator')} / ${t('supervisor.dashboard.denominator')}: ${t(
          'supervisor.dashboard.fraction',
          { numerator: item.numerator, denominator: item.denominator },
        )}`;
      }
      if (item.denominator === undefined || item.denominator === null) return '';
      if (unit === 'minutes') return t('supervisor.dashboard.samples', { n: item.denominator });
      return t('supervisor.dashboard.jobsCounted', { n: item.denominator });
    }

    async function loadTrend({ force = false } = {}) {
      const ctx = context();
      const key = JSON.stringify(ctx);
      if (!force && trendKey === key) return;
      trendKey = key;
      const count = TREND_COUNTS[ctx.period];
      const mine = generation;
      let answer;
      try {
        answer = await api('insights', `/indicators/${encodeURIComponent(code)}/trend`, {
          query: { ...ctx, count },
        });
      } catch (error) {
        if (mine !== generation || gone) return;
        trendKey = null;
        clear(trendArea).append(h('p', { class: 'error' }, problemText(error)));
        return;
      }
      if (mine !== generation || gone) return;
      destroyCharts(trendCharts);
      const items = answer.items || [];
      const labels = items.map((item) => periodLabel(ctx.period, item.start));
      const series =
        code === 'provider-kind-share'
          ? PROVIDER_KINDS.map((kind) => ({
              label: t(`supervisor.providerKind.${kind}`),
              values: items.map((item) => (item.breakdown ? (item.breakdown[kind] ?? null) : null)),
            }))
          : [{ label: name, values: items.map((item) => item.value ?? null) }];
      const chartUnit = code === 'provider-kind-share' ? 'ratio' : unit;
      const box = chartBox(t('supervisor.dashboard.trendChart', { name, n: count }));
      const columns = [
        { key: 'label', label: t('supervisor.dashboard.period') },
        ...(code === 'provider-kind-share'
          ? PROVIDER_KINDS.map((kind) => ({
              key: kind,
              label: t(`supervisor.providerKind.${kind}`),
              format: (v) => formatValue(v, 'ratio'),
              exportValue: (v) => rawValue(v),
            }))
          : valueColumns(unit)),
        { key: 'start', label: t('supervisor.dashboard.periodStart') },
        { key: 'end', label: t('supervisor.dashboard.periodEnd') },
      ];
      const rows = items.map((item, i) => ({
        ...item,
        ...(item.breakdown || {}),
        label: labels[i],
      }));
      clear(trendArea).append(
        box.element,
        h(
          'details',
          { class: 'indicator-more', 'data-part': 'trend-table' },
          h('summary', null, t('supervisor.dashboard.trendCaption', { name })),
          dataTable({
            caption: t('supervisor.dashboard.trendCaption', { name }),
            columns,
            rows,
            exportName: `${code}-trend-${ctx.node}-${ctx.period}-${ctx.date}`,
          }),
        ),
      );
      try {
        const chart = await lineChart(box.canvas, {
          labels,
          series,
          percent: chartUnit === 'ratio',
          format: (v) => axisValue(v, chartUnit),
        });
        if (mine !== generation || gone) chart.destroy();
        else {
          trendCharts.add(chart);
          charts.add(chart);
        }
      } catch {
        box.element.replaceWith(h('p', { class: 'hint' }, t('supervisor.dashboard.chartsUnavailable')));
      }
    }

    async function loadBreakdown({ force = false } = {}) {
      const ctx = context();
      const key = JSON.stringify(ctx);
      if (!force && breakdownKey === key) return;
      breakdownKey = key;
      const mine = generation;
      clear(breakdownArea).append(h('p', { class: 'hint' }, t('supervisor.dashboard.loadingChart')));
      let answer;
      try {
        answer = await api('insights', `/indicators/${encodeURIComponent(code)}/breakdown`, { query: ctx });
      } catch (error) {
        if (mine !== generation || gone) return;
        breakdownKey = null;
        clear(breakdownArea).append(h('p', { class: 'error' }, problemText(error)));
        return;
      }
      if (mine !== generation || gone) return;
      destroyCharts(breakdownCharts);
      const items = answer.items || [];
      if (items.length === 0) {
        clear(breakdownArea).append(h('p', { class: 'empty' }, t('supervisor.dashboard.breakdownNone')));
        return;
      }
      const caption = t('supervisor.dashboard.breakdownCaption', { name, node: state.nodeName || ctx.node });
      const isKinds = code === 'provider-kind-share';
      const columns = [
        { key: 'name', label: t('supervisor.dashboard.area') },
        { key: 'node', label: t('supervisor.dashboard.areaCode') },
        ...(isKinds
          ? PROVIDER_KINDS.map((kind) => ({
              key: kind,
              label: t(`supervisor.providerKind.${kind}`),
              format: (v) => formatValue(v, 'ratio'),
              exportValue: (v) => rawValue(v),
            }))
          : valueColumns(unit)),
      ];
      const rows = items.map((item) => ({ ...item, ...(item.breakdown || {}) }));
      const parts = [];
      let box = null;
      if (!isKinds) {
        box = chartBox(t('supervisor.dashboard.breakdownChart', { name }), 'chart-box chart-box-bars');
        // A bar per sub-area: the box grows with their number so labels stay readable.
        box.element.style.height = `${Math.max(8, items.length * 1.75 + 3)}rem`;
        parts.push(box.element);
      }
      parts.push(
        dataTable({
          caption,
          columns,
          rows,
          exportName: `${code}-breakdown-${ctx.node}-${ctx.period}-${ctx.date}`,
          onRowActivate: (row) => go(row.node),
          rowAttributes: (row) => ({
            'data-node': row.node,
            'aria-label': t('supervisor.dashboard.drill', { name: row.name }),
          }),
        }),
      );
      clear(breakdownArea).append(...parts);
      if (!box) return;
      try {
        const chart = await barChart(box.canvas, {
          labels: items.map((item) => item.name),
          values: items.map((item) => item.value ?? null),
          label: name,
          percent: unit === 'ratio',
          format: (v) => axisValue(v, unit),
        });
        if (mine !== generation || gone) chart.destroy();
        else {
          breakdownCharts.add(chart);
          charts.add(chart);
        }
      } catch {
        box.element.replaceWith(h('p', { class: 'hint' }, t('supervisor.dashboard.chartsUnavailable')));
      }
    }

    return {
      element,
      show,
      loadTrend,
      loadBreakdown,
      /** A new area or period: what was drawn is for the old one. */
      reset() {
        trendKey = null;
        breakdownKey = null;
        destroyCharts(trendCharts);
        destroyCharts(breakdownCharts);
        trendTitle.textContent = t('supervisor.dashboard.trend', { n: TREND_COUNTS[state.period] });
        clear(trendArea).append(h('p', { class: 'hint' }, t('supervisor.dashboard.loadingChart')));
        clear(breakdownArea);
        element.dataset.pending = 'true';
      },
      /** Fresh data for the same area and period: redraw what is drawn. */
      refresh() {
        if (trendKey !== null) void loadTrend({ force: true });
        if (breakdown.open) void loadBreakdown({ force: true });
      },
      get visible() {
        const box = element.getBoundingClientRect();
        return box.bottom >= 0 && box.top <= window.innerHeight;
      },
    };
  }

  function valueColumns(unit) {
    return [
      {
        key: 'value',
        label: t('supervisor.dashboard.value'),
        format: (v) => formatValue(v, unit),
        exportValue: (v) => rawValue(v),
      },
      { key: 'numerator', label: t('supervisor.dashboard.numerator') },
      { key: 'denominator', label: t('supervisor.dashboard.denominator') },
    ];
  }

  // ---- loading -------------------------------------------------------------------------------------------------
  function showOverview(answer) {
    const byCode = new Map(answer.items.map((item) => [item.code, item]));
    const rows = defs.map((definition) => {
      const item = byCode.get(definition.code) || {};
      return {
        code: definition.code,
        name: bilingual(definition.name),
        unit: definition.unit,
        value: item.value ?? null,
        numerator: item.numerator,
        denominator: item.denominator,
        breakdown: item.breakdown,
      };
    });
    const periodName = t(`supervisor.period.${answer.period.kind}`);
    clear(overview).append(
      h('h2', { id: 'overview-title' }, t('supervisor.dashboard.overview')),
      dataTable({
        caption: t('supervisor.dashboard.overviewCaption', {
          node: answer.name || answer.node,
          period: periodName,
        }),
        columns: [
          { key: 'name', label: t('supervisor.dashboard.definition') },
          { key: 'code', label: t('supervisor.dashboard.code') },
          {
            key: 'value',
            label: t('supervisor.dashboard.value'),
            format: (v, row) =>
              row.code === 'provider-kind-share' && row.breakdown
                ? PROVIDER_KINDS.map(
                    (kind) => `${t(`supervisor.providerKind.${kind}`)} ${formatShare(row.breakdown[kind])}`,
                  ).join('；')
                : formatValue(v, row.unit),
            exportValue: (v, row) =>
              row.code === 'provider-kind-share' && row.breakdown
                ? PROVIDER_KINDS.map((kind) => `${kind}=${rawValue(row.breakdown[kind])}`).join(' ')
                : rawValue(v),
          },
          { key: 'numerator', label: t('supervisor.dashboard.numerator') },
          { key: 'denominator', label: t('supervisor.dashboard.denominator') },
        ],
        rows,
        exportName: `indicators-${answer.node}-${answer.period.kind}-${state.date}`,
      }),
    );
  }

  async function load({ announceIt = false, fresh = false } = {}) {
    const mine = ++generation;
    cardList.setAttribute('aria-busy', 'true');
    if (!fresh) {
      for (const card of cards.values()) card.reset();
      summary.textContent = t('supervisor.dashboard.loading');
      summary.classList.remove('error');
    }
    upButton.hidden = state.node === home || !parentOf(state.node) || !state.node.startsWith(home);
    mineButton.hidden = state.node === home;
    let answer;
    try {
      answer = await api('insights', '/indicators/values', { query: context() });
    } catch (error) {
      if (mine !== generation || gone) return;
      summary.textContent = problemText(error);
      summary.classList.add('error');
      cardList.setAttribute('aria-busy', 'false');
      if (announceIt) announce(problemText(error), { error: true });
      return;
    }
    if (mine !== generation || gone) return;
    if (!home) home = answer.node;
    if (!state.node) state.node = answer.node;
    state.nodeName = answer.name || answer.node;
    if (!picker.input.matches(':focus')) picker.set({ code: answer.node, name: state.nodeName });
    summary.textContent = t('supervisor.dashboard.showing', {
      node: state.nodeName,
      code: answer.node,
      period: t(`supervisor.period.${answer.period.kind}`),
      start: formatDate(answer.period.start),
      end: lastDay(answer.period.end),
    });
    const byCode = new Map(answer.items.map((item) => [item.code, item]));
    for (const [code, card] of cards) card.show(byCode.get(code));
    showOverview(answer);
    cardList.dataset.node = answer.node;
    cardList.dataset.period = answer.period.kind;
    cardList.dataset.date = state.date;
    cardList.setAttribute('aria-busy', 'false');
    if (fresh) {
      for (const card of cards.values()) card.refresh();
    } else {
      // Cards in view draw their trends now (the observer only fires on a change of visibility).
      for (const card of cards.values()) if (card.visible) void card.loadTrend();
    }
    if (announceIt) announce(t('supervisor.dashboard.loaded', { node: state.nodeName }));
    else if (fresh) announce(t('supervisor.dashboard.updated'));
  }

  // Any change in the area shown may move a number: refetch, at most every LIVE_REFRESH_MS.
  const refetch = debounce(() => void load({ fresh: true }), LIVE_REFRESH_MS);
  const stopLive = onLive((notice) => {
    if (notice.type === 'reconnected') return refetch();
    const code = notice.jurisdiction;
    if (!code || code.startsWith(state.node) || state.node.startsWith(code)) refetch();
  });

  picker.set({ code: state.node, name: state.node });
  await load();

  return () => {
    gone = true;
    generation += 1;
    refetch.cancel();
    stopLive();
    if (observer) observer.disconnect();
    destroyCharts();
  };
}
