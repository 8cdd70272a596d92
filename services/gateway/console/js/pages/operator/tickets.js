// The tickets of the operator's jurisdiction, filtered and paged; the filters live in the URL (#/tickets?status=…)
// so that a list can be bookmarked, sent to a colleague and survives a reload.
import { api } from '../../core/api.js';
import { divisionPicker } from '../../core/combobox.js';
import { announce, clear, formatDateTime, h } from '../../core/dom.js';
import { t } from '../../core/i18n.js';
import { navigate } from '../../core/router.js';
import { dataTable } from '../../core/table.js';
import { TICKET_STATUSES, categories, categoryName, label, localName } from './codes.js';

const PAGE_SIZE = 20;
const FILTERS = ['status', 'category', 'community', 'breached', 'from', 'to'];

/** A China date (YYYY-MM-DD) as the instant its day starts there (UTC+8 all year). */
function chinaDayStart(date) {
  return `${date}T00:00:00+08:00`;
}

function nextDay(date) {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

const isDate = (value) => /^\d{4}-\d{2}-\d{2}$/.test(value ?? '');

export async function renderTickets(main, _params, search) {
  const query = Object.fromEntries(search ?? []);
  const catalogue = await categories().catch(() => []);
  const page = Math.max(1, Number.parseInt(query.page ?? '1', 10) || 1);

  const select = (id, name, any, options, value) => {
    const element = h(
      'select',
      { id, name },
      h('option', { value: '' }, any),
      options.map(([code, text]) => h('option', { value: code }, text)),
    );
    element.value = value ?? '';
    return element;
  };
  const field = (id, text, control) => h('div', { class: 'field' }, h('label', { for: id }, text), control);
  const status = select(
    'filter-status',
    'status',
    t('operator.list.statusAny'),
    TICKET_STATUSES.map((code) => [code, label('status', code)]),
    query.status,
  );
  const category = select(
    'filter-category',
    'category',
    t('operator.list.categoryAny'),
    catalogue.map((c) => [c.code, localName(c.name)]),
    query.category,
  );
  const breached = select(
    'filter-breached',
    'breached',
    t('operator.list.breachedAny'),
    [
      ['true', t('operator.list.breachedYes')],
      ['false', t('operator.list.breachedNo')],
    ],
    query.breached,
  );
  const from = h('input', {
    id: 'filter-from',
    name: 'from',
    type: 'date',
    value: isDate(query.from) ? query.from : '',
  });
  const to = h('input', {
    id: 'filter-to',
    name: 'to',
    type: 'date',
    value: isDate(query.to) ? query.to : '',
  });
  const community = divisionPicker({
    id: 'filter-community',
    name: 'community',
    label: t('operator.list.community'),
  });
  // The URL keeps the code only: the picker shows it, then the place's name once the tree has answered.
  if (/^\d{2,12}$/.test(query.community ?? '')) {
    const code = query.community;
    community.set({ code, name: code });
    api('resident-requests', '/divisions', { query: { q: code, limit: 1 } })
      .then((answer) => {
        const found = answer.items?.find((item) => item.code === code);
        if (found && community.value === code) community.set(found);
      })
      .catch(() => undefined);
  }
  const filters = h(
    'form',
    { id: 'tickets-filter', class: 'filters', 'aria-label': t('operator.list.filters') },
    field('filter-status', t('operator.list.status'), status),
    field('filter-category', t('operator.list.category'), category),
    community.element,
    field('filter-breached', t('operator.list.breached'), breached),
    field('filter-from', t('operator.list.from'), from),
    field('filter-to', t('operator.list.to'), to),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('operator.list.apply')),
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: () => navigate('/tickets') },
        t('operator.list.reset'),
      ),
    ),
  );
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(filters);
    const chosen = new URLSearchParams();
    data.set('community', community.value);
    for (const key of FILTERS) {
      const value = String(data.get(key) ?? '').trim();
      if (value) chosen.set(key, value);
    }
    navigate(`/tickets${chosen.size ? `?${chosen}` : ''}`);
  });

  const results = h('div', { id: 'tickets-results' });
  clear(main);
  main.append(h('h1', { tabindex: '-1' }, t('operator.list.title')), filters, results);

  const request = { page, pageSize: PAGE_SIZE };
  if (query.status) request.status = query.status;
  if (query.category) request.category = query.category;
  if (/^\d{2,12}$/.test(query.community ?? '')) request.community = query.community;
  if (query.breached === 'true' || query.breached === 'false') request.breached = query.breached;
  if (isDate(query.from)) request.from = chinaDayStart(query.from);
  if (isDate(query.to)) request.to = chinaDayStart(nextDay(query.to));
  const reply = await api('resident-requests', '/tickets', { query: request });

  const pages = Math.max(1, Math.ceil(reply.total / reply.pageSize));
  const toPage = (n) => {
    const next = new URLSearchParams();
    for (const key of FILTERS) if (query[key]) next.set(key, query[key]);
    next.set('page', String(n));
    navigate(`/tickets?${next}`);
  };
  const rows = reply.items.map((item) => ({
    ticketId: item.ticketId,
    createdAt: item.createdAt,
    category: categoryName(catalogue, item.category) || localName(item.categoryName),
    status: item.status,
    priority: item.priority.level,
    community: item.place.communityName,
    address: item.place.address,
    breached: item.breached,
  }));
  results.append(
    rows.length === 0
      ? h('p', { role: 'status' }, t('operator.list.empty'))
      : dataTable({
          caption: t('operator.list.caption', { total: reply.total, page: reply.page, pages }),
          columns: [
            {
              key: 'ticketId',
              label: t('operator.list.columns.ticketId'),
              format: (id) => h('a', { href: `#/tickets/${encodeURIComponent(id)}` }, id),
            },
            {
              key: 'createdAt',
              label: t('operator.list.columns.createdAt'),
              format: (v) => formatDateTime(v),
            },
            { key: 'category', label: t('operator.list.columns.category') },
            { key: 'status', label: t('operator.list.columns.status'), format: (v) => label('status', v) },
            {
              key: 'priority',
              label: t('operator.list.columns.priority'),
              format: (v) => label('priority', v),
            },
            { key: 'community', label: t('operator.list.columns.community') },
            { key: 'address', label: t('operator.list.columns.address') },
            {
              key: 'breached',
              label: t('operator.list.columns.breached'),
              format: (v) => (v ? t('operator.list.yes') : t('operator.list.no')),
            },
          ],
          rows,
          exportName: 'tickets',
          onRowActivate: (row) => navigate(`/tickets/${encodeURIComponent(row.ticketId)}`),
        }),
    h(
      'nav',
      {
        class: 'pager',
        'aria-label': t('operator.list.caption', { total: reply.total, page: reply.page, pages }),
      },
      h(
        'button',
        { type: 'button', disabled: page <= 1, onclick: () => toPage(page - 1) },
        t('operator.list.previous'),
      ),
      h('span', {}, `${reply.page} / ${pages}`),
      h(
        'button',
        { type: 'button', disabled: page >= pages, onclick: () => toPage(page + 1) },
        t('operator.list.next'),
      ),
    ),
  );
  announce(t('operator.list.loaded', { count: rows.length }));
}
