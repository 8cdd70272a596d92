// #/cases, the mediator's main screen: the cases I hold (`#cases`, rows `[data-case-id][data-status]`), filtered by
// status in the URL (#/cases?status=in-mediation), and the follow-up visits due (`#follow-ups-due`). Both refetch on
// a case notice (debounced), so a case assigned to me appears without a reload.
import { api } from '../../core/api.js';
import { announce, clear, formatDateTime, h, problemText } from '../../core/dom.js';
import { t } from '../../core/i18n.js';
import { navigate, replaceQuery } from '../../core/router.js';
import { dataTable } from '../../core/table.js';
import { CASE_STATUSES, label, refreshOnCaseNotices } from './codes.js';

const PAGE_SIZE = 100;

const caseLink = (caseId) => h('a', { href: `#/cases/${encodeURIComponent(caseId)}` }, caseId);

export async function renderCases(main, _params, search) {
  let alive = true;
  let status = CASE_STATUSES.includes(search?.get('status')) ? search.get('status') : '';

  const filter = h(
    'select',
    { id: 'case-status-filter', name: 'status' },
    h('option', { value: '' }, t('mediator.cases.statusAny')),
    CASE_STATUSES.map((code) => h('option', { value: code }, label('status', code))),
  );
  filter.value = status;
  filter.addEventListener('change', () => {
    status = filter.value;
    replaceQuery({ status });
    void load();
  });

  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const casesBlock = h('div', { id: 'cases', 'aria-busy': 'true' });
  const dueBlock = h('div', { id: 'follow-ups-due', 'aria-busy': 'true' });
  main.replaceChildren(
    h('h1', null, t('mediator.cases.title')),
    h('p', { class: 'intro' }, t('mediator.cases.intro')),
    h('p', { class: 'hint' }, t('mediator.cases.shortcuts')),
    h(
      'div',
      { class: 'filters' },
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'case-status-filter' }, t('mediator.cases.statusLabel')),
        filter,
      ),
    ),
    problem,
    casesBlock,
    h('h2', { id: 'follow-ups-due-title' }, t('mediator.cases.followUpsTitle')),
    h('p', { class: 'hint' }, t('mediator.cases.followUpsIntro')),
    dueBlock,
  );

  async function load() {
    let cases;
    let due;
    try {
      [cases, due] = await Promise.all([
        api('mediation', '/cases', { query: { mine: true, status, pageSize: PAGE_SIZE } }),
        api('mediation', '/follow-ups/due', { query: { pageSize: PAGE_SIZE } }),
      ]);
    } catch (error) {
      if (!alive) return;
      problem.textContent = t('mediator.loadFailed', { reason: problemText(error) });
      problem.hidden = false;
      return;
    }
    if (!alive) return;
    problem.hidden = true;
    showCases(cases.items);
    showDue(due.items);
  }

  function showCases(items) {
    const hadFocus = casesBlock.contains(document.activeElement)
      ? document.activeElement.dataset.caseId
      : null;
    clear(casesBlock).append(
      dataTable({
        caption: t('mediator.cases.caption', { count: items.length }),
        empty: t('mediator.cases.empty'),
        exportName: 'mediation-cases',
        columns: [
          {
            key: 'caseId',
            label: t('mediator.cases.caseId'),
            format: (id) => caseLink(id),
            exportValue: (id) => id,
          },
          { key: 'caseType', label: t('mediator.cases.caseType'), format: (code) => label('caseType', code) },
          { key: 'communityName', label: t('mediator.cases.community') },
          { key: 'status', label: t('mediator.cases.status'), format: (code) => label('status', code) },
          { key: 'partyCount', label: t('mediator.cases.parties') },
          { key: 'openedAt', label: t('mediator.cases.openedAt'), format: (iso) => formatDateTime(iso) },
          {
            key: 'timeLimitAt',
            label: t('mediator.cases.timeLimitAt'),
            format: (iso, row) =>
              row.withinTimeLimit
                ? formatDateTime(iso)
                : h(
                    'span',
                    { class: 'badge urgent' },
                    `${formatDateTime(iso)} ${t('mediator.cases.overdue')}`,
                  ),
          },
        ],
        rows: items,
        rowAttributes: (row) => ({ 'data-case-id': row.caseId, 'data-status': row.status }),
        onRowActivate: (row) => navigate(`/cases/${encodeURIComponent(row.caseId)}`),
      }),
    );
    casesBlock.setAttribute('aria-busy', 'false');
    // A refetch must not throw the keyboard user out of the table.
    if (hadFocus) casesBlock.querySelector(`tr[data-case-id="${CSS.escape(hadFocus)}"]`)?.focus();
  }

  function showDue(items) {
    clear(dueBlock).append(
      dataTable({
        caption: t('mediator.cases.followUpsCaption', { count: items.length }),
        empty: t('mediator.cases.followUpsEmpty'),
        columns: [
          {
            key: 'caseId',
            label: t('mediator.cases.caseId'),
            format: (id) => caseLink(id),
            exportValue: (id) => id,
          },
          { key: 'followUpId', label: t('mediator.cases.followUpId') },
          { key: 'dueAt', label: t('mediator.cases.dueAt'), format: (iso) => formatDateTime(iso) },
          { key: 'termIds', label: t('mediator.cases.terms'), format: (ids) => (ids || []).join(', ') },
        ],
        rows: items,
        rowAttributes: (row) => ({ 'data-case-id': row.caseId, 'data-follow-up-id': row.followUpId }),
      }),
    );
    dueBlock.setAttribute('aria-busy', 'false');
  }

  await load();
  const stopLive = refreshOnCaseNotices(async () => {
    await load();
    if (alive)
      announce(t('mediator.cases.caption', { count: casesBlock.querySelectorAll('tbody tr').length }));
  });
  return () => {
    alive = false;
    stopLive();
  };
}
