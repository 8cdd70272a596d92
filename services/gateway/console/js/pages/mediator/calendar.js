// #/sessions?week=YYYY-MM-DD: a week of my sessions as a grid by day (Monday first, China time), from mediation's
// GET /sessions. Keyboard: the days are one tab stop (roving tabindex), Left/Right move between them, Home/End go
// to Monday/Sunday, PageUp/PageDown change the week, Enter opens the day's first session, Tab reaches each
// session's link (to its case). Refetched on a case notice.
import { api } from '../../core/api.js';
import { announce, clear, formatDate, formatTime, h, problemText } from '../../core/dom.js';
import { language, t } from '../../core/i18n.js';
import { replaceQuery } from '../../core/router.js';
import { addDays, chinaDate, label, mondayOf, refreshOnCaseNotices } from './codes.js';

const isDate = (value) => /^\d{4}-\d{2}-\d{2}$/.test(value || '');

/** Monday to Sunday as the user's language says them (a weekday of a China date, named at noon UTC). */
function weekdayName(date) {
  return new Intl.DateTimeFormat(language(), { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(`${date}T12:00:00Z`),
  );
}

export async function renderCalendar(main, _params, search) {
  let alive = true;
  const today = chinaDate(new Date().toISOString());
  let monday = mondayOf(isDate(search?.get('week')) ? search.get('week') : today);
  /** The day that holds the grid's tab stop, kept across weeks (same weekday) and refetches. */
  let activeDay = 0;

  const weekLabel = h('h2', { id: 'week-label', 'aria-live': 'polite' });
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const grid = h('div', {
    id: 'session-calendar',
    class: 'week-grid',
    role: 'grid',
    'aria-labelledby': 'week-label',
    'aria-busy': 'true',
  });
  const button = (id, text, onclick) =>
    h('button', { type: 'button', class: 'secondary', id, onclick }, text);
  main.replaceChildren(
    h('h1', null, t('mediator.calendar.title')),
    h('p', { class: 'intro' }, t('mediator.calendar.intro')),
    h('p', { class: 'hint', id: 'calendar-keys' }, t('mediator.calendar.keys')),
    h(
      'div',
      { class: 'actions week-nav' },
      button('week-prev', t('mediator.calendar.previous'), () => void go(-7)),
      button('week-today', t('mediator.calendar.today'), () => void go(0)),
      button('week-next', t('mediator.calendar.next'), () => void go(7)),
    ),
    weekLabel,
    problem,
    grid,
  );

  async function go(days, { focusGrid = false } = {}) {
    monday = days === 0 ? mondayOf(today) : addDays(monday, days);
    replaceQuery({ week: monday });
    await load();
    if (focusGrid) focusDay(activeDay);
  }

  async function load() {
    const from = `${monday}T00:00:00+08:00`;
    const to = `${addDays(monday, 7)}T00:00:00+08:00`;
    grid.setAttribute('aria-busy', 'true');
    let items;
    try {
      ({ items } = await api('mediation', '/sessions', { query: { from, to } }));
    } catch (error) {
      if (!alive) return;
      problem.textContent = t('mediator.loadFailed', { reason: problemText(error) });
      problem.hidden = false;
      return;
    }
    if (!alive) return;
    problem.hidden = true;
    show(items);
  }

  function show(items) {
    const hadFocus = grid.contains(document.activeElement);
    const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
    weekLabel.textContent = t('mediator.calendar.week', {
      from: formatDate(`${days[0]}T00:00:00+08:00`),
      to: formatDate(`${days[6]}T00:00:00+08:00`),
    });
    weekLabel.dataset.week = monday;
    const byDay = new Map(days.map((day) => [day, []]));
    for (const item of items) byDay.get(chinaDate(item.scheduledFor))?.push(item);
    clear(grid).append(
      h(
        'div',
        { role: 'row', class: 'week-head' },
        days.map((day) =>
          h(
            'div',
            { role: 'columnheader', id: `day-head-${day}`, class: day === today ? 'today' : null },
            weekdayName(day),
            h('br'),
            formatDate(`${day}T00:00:00+08:00`),
          ),
        ),
      ),
      h(
        'div',
        { role: 'row', class: 'week-days' },
        days.map((day, i) => dayCell(day, i, byDay.get(day))),
      ),
    );
    grid.setAttribute('aria-busy', 'false');
    if (hadFocus) focusDay(activeDay);
    announce(
      t('mediator.calendar.loaded', { n: items.length, from: formatDate(`${monday}T00:00:00+08:00`) }),
    );
  }

  function dayCell(day, index, sessions) {
    const count = sessions.length
      ? t('mediator.calendar.count', { n: sessions.length })
      : t('mediator.calendar.none');
    return h(
      'div',
      {
        // Named by its content (the count, the sessions); its day is the column header's, as in any grid.
        role: 'gridcell',
        class: ['day', day === today ? 'today' : null, sessions.length ? null : 'free'],
        'data-date': day,
        'data-count': String(sessions.length),
        tabindex: index === activeDay ? '0' : '-1',
        onkeydown: (event) => onKey(event, index),
        onfocus: (event) => {
          if (event.target !== event.currentTarget) return;
          activeDay = index;
          grid
            .querySelectorAll('[role=gridcell]')
            .forEach((cell, i) => cell.setAttribute('tabindex', i === index ? '0' : '-1'));
        },
      },
      h('p', { class: 'day-count', id: `day-count-${day}` }, count),
      sessions.length
        ? h(
            'ul',
            { class: 'day-sessions' },
            sessions.map((item) =>
              h(
                'li',
                {
                  class: ['calendar-session', item.status],
                  'data-session-id': item.sessionId,
                  'data-case-id': item.caseId,
                  'data-status': item.status,
                },
                h(
                  'a',
                  { href: `#/cases/${encodeURIComponent(item.caseId)}` },
                  h('strong', null, formatTime(item.scheduledFor)),
                  ' ',
                  item.caseId,
                  ' · ',
                  label('caseType', item.caseType),
                  ' · ',
                  item.place,
                  item.status !== 'scheduled' ? ` · ${label('sessionStatus', item.status)}` : null,
                ),
              ),
            ),
          )
        : null,
    );
  }

  function focusDay(index) {
    const cells = grid.querySelectorAll('[role=gridcell]');
    activeDay = Math.max(0, Math.min(6, index));
    cells.forEach((cell, i) => cell.setAttribute('tabindex', i === activeDay ? '0' : '-1'));
    cells[activeDay]?.focus();
  }

  function onKey(event, index) {
    const moves = { ArrowLeft: index - 1, ArrowRight: index + 1, Home: 0, End: 6 };
    if (event.key in moves) {
      event.preventDefault();
      const target = moves[event.key];
      if (target < 0) void go(-7, { focusGrid: true }).then(() => focusDay(6));
      else if (target > 6) void go(7, { focusGrid: true }).then(() => focusDay(0));
      else focusDay(target);
    } else if (event.key === 'PageUp' || event.key === 'PageDown') {
      event.preventDefault();
      void go(event.key === 'PageUp' ? -7 : 7, { focusGrid: true });
    } else if (event.key === 'Enter' && event.target === event.currentTarget) {
      const link = event.currentTarget.querySelector('a');
      if (link) {
        event.preventDefault();
        link.click();
      }
    }
  }

  await load();
  const stopLive = refreshOnCaseNotices(() => load());
  return () => {
    alive = false;
    stopLive();
  };
}
