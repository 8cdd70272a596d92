// Today's call-backs (回访): one row per resident to call, with the outcome recorded in one click while still on
// the phone (answered with a satisfaction from 1 to 5, or not answered). A recorded row leaves the list: the
// ticket closes, reopens or waits for its next try, and the worklist shows only what is still to call.
import { api, ApiError } from '../../core/api.js';
import { announce, clear, debounce, formatDateTime, h, todayInChina } from '../../core/dom.js';
import { onLive } from '../../core/live.js';
import { t } from '../../core/i18n.js';
import { navigate } from '../../core/router.js';
import { categories, categoryName } from './codes.js';

const SATISFACTION_SCORES = [5, 4, 3, 2, 1];
/** resident-requests' `ticket.callback-due` (libs/contracts): a call-back joined some day's worklist. */
const CALLBACK_DUE = /\.ticket\.callback-due\.v\d+$/;
/** Call-backs fall due in bursts (a morning's timers): one refetch for each burst. */
const RELOAD_PAUSE_MS = 500;

export async function renderCallbacks(main, _params, query) {
  const catalogue = await categories().catch(() => []);
  const asked = query?.get('date') ?? '';
  const day = /^\d{4}-\d{2}-\d{2}$/.test(asked) ? asked : todayInChina();
  const dateInput = h('input', { id: 'callbacks-date', name: 'date', type: 'date', value: day });
  const filter = h(
    'form',
    { class: 'filters', id: 'callbacks-filter' },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'callbacks-date' }, t('operator.callbacks.date')),
      dateInput,
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('operator.callbacks.show'))),
  );
  filter.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate(`/callbacks?date=${encodeURIComponent(dateInput.value || todayInChina())}`);
  });
  const count = h('p', { id: 'callbacks-count', role: 'status', tabindex: '-1' });
  const body = h('tbody', {});
  const table = h(
    'table',
    { id: 'callbacks', class: 'worklist' },
    h('caption', {}, t('operator.callbacks.title')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        [
          t('operator.callbacks.ticket'),
          t('operator.callbacks.reporter'),
          t('operator.callbacks.phone'),
          t('operator.callbacks.category'),
          t('operator.callbacks.due'),
          t('operator.callbacks.attempts'),
          t('operator.callbacks.outcome'),
        ].map((text) => h('th', { scope: 'col' }, text)),
      ),
    ),
    body,
  );

  clear(main);
  main.append(h('h1', { tabindex: '-1' }, t('operator.callbacks.title')), filter, count, table);

  const showCount = (total) => {
    count.textContent =
      total === 0 ? t('operator.callbacks.empty') : t('operator.callbacks.count', { total });
    table.hidden = total === 0;
  };

  // Call-backs falling due while the list is open join it at the end; rows already shown stay where they are (the
  // operator may be about to click one), and a recorded one leaves only when recorded here.
  const shown = new Set();
  async function load() {
    const reply = await api('resident-requests', '/callbacks', { query: { date: day } });
    const added = reply.items.filter((item) => !shown.has(item.ticketId));
    for (const item of added) {
      shown.add(item.ticketId);
      body.append(worklistRow(item, catalogue, onRecorded));
    }
    showCount(body.children.length);
    return added.length;
  }
  await load();
  const reload = debounce(() => {
    load()
      .then((added) => {
        if (added) announce(t('operator.callbacks.arrived', { count: added }));
      })
      .catch(() => undefined);
  }, RELOAD_PAUSE_MS);
  const unsubscribe = onLive((notice) => {
    if (notice.type === 'reconnected' || CALLBACK_DUE.test(notice.type ?? '')) reload();
  });

  function onRecorded(row) {
    // Focus goes to the next row's first outcome, so that a list of calls is worked through from the keyboard.
    const next = row.nextElementSibling ?? row.previousElementSibling;
    row.remove();
    // Not answered, it may fall due again today (the next try): then it comes back.
    shown.delete(row.dataset.ticketId);
    showCount(body.children.length);
    (next?.querySelector('button') ?? count).focus();
  }
  return () => {
    unsubscribe();
    reload.cancel();
  };
}

function worklistRow(item, catalogue, onRecorded) {
  const reporter = item.reporter ?? {};
  const error = h('span', { class: 'error', role: 'alert' });
  const record = async (answer, buttons) => {
    for (const button of buttons) button.disabled = true;
    error.textContent = '';
    try {
      await api('resident-requests', `/tickets/${encodeURIComponent(item.ticketId)}/callback`, {
        method: 'POST',
        body: answer,
      });
      announce(
        answer.answered
          ? t('operator.callbacks.recorded', { id: item.ticketId })
          : t('operator.callbacks.recordedNotAnswered', { id: item.ticketId }),
      );
      onRecorded(row);
    } catch (failure) {
      if (!(failure instanceof ApiError)) throw failure;
      for (const button of buttons) button.disabled = false;
      error.textContent = t('operator.callbacks.failed', {
        message: failure.problem?.detail ?? failure.problem?.title ?? failure.status,
      });
    }
  };
  const buttons = [];
  const group = h('div', {
    class: 'outcomes',
    role: 'group',
    'aria-label': t('operator.callbacks.outcomeFor', { id: item.ticketId }),
  });
  for (const score of SATISFACTION_SCORES) {
    buttons.push(
      h(
        'button',
        {
          type: 'button',
          class: score <= 2 ? 'outcome dissatisfied' : 'outcome',
          'data-satisfaction': String(score),
          onclick: () => record({ answered: true, satisfaction: score }, buttons),
        },
        t('operator.callbacks.satisfaction', { n: score }),
      ),
    );
  }
  buttons.push(
    h(
      'button',
      {
        type: 'button',
        class: 'outcome not-answered',
        'data-action': 'not-answered',
        onclick: () => record({ answered: false }, buttons),
      },
      t('operator.callbacks.notAnswered'),
    ),
  );
  group.append(...buttons);
  const row = h(
    'tr',
    { 'data-ticket-id': item.ticketId },
    h(
      'th',
      { scope: 'row' },
      h('a', { href: `#/tickets/${encodeURIComponent(item.ticketId)}` }, item.ticketId),
    ),
    h('td', {}, reporter.name ?? '—'),
    h('td', {}, reporter.phone ? h('a', { href: `tel:${reporter.phone}` }, reporter.phone) : '—'),
    h('td', {}, categoryName(catalogue, item.category)),
    h('td', {}, item.callback ? formatDateTime(item.callback.dueAt) : '—'),
    h('td', {}, String(item.callback?.attempts ?? 0)),
    h('td', {}, group, error),
  );
  return row;
}
