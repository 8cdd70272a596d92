// The supervisor's escalations (#/escalations): what missed a service level or was escalated in their
// jurisdiction, from the service that owns it: resident-requests' tickets past a deadline, elder-care's escalations
// (visits missed in a row), mediation's cases past their time limit or escalated, dispatch's jobs nobody took. Each
// section loads on its own (one service down leaves the others readable) and refetches on a live notice.
import { api } from '../../core/api.js';
import { announce, clear, debounce, formatDateTime, h, problemText } from '../../core/dom.js';
import { language, t, tOr } from '../../core/i18n.js';
import { onLive } from '../../core/live.js';
import { dataTable } from '../../core/table.js';
import { shortcutsNote } from './ui.js';

/** Tickets someone still has to act on (resident-requests' OPEN_STATUSES): a breach there is still a worry. */
const OPEN_TICKET_STATUSES = ['new', 'triaged', 'routed', 'dispatched', 'assigned', 'in-progress'];
const PAGE_SIZE = 50;
const LIVE_REFRESH_MS = 2000;
/** The topics whose changes can move one of the lists (the tickets', the jobs', elder-care's, mediation's). */
const TOPICS =
  /^linli\.(resident-requests\.ticket|dispatch\.job|elder-care\.(elder|visit)|mediation\.case)\./;

const ticketLink = (id) => h('a', { href: `#/tickets/${encodeURIComponent(id)}` }, id);
const yesNo = (value) => t(value ? 'supervisor.escalations.yes' : 'supervisor.escalations.no');

export async function renderEscalations(main) {
  let gone = false;
  let generation = 0;

  const sections = [
    {
      id: 'breached-tickets',
      title: t('supervisor.escalations.tickets'),
      load: async () => {
        const answer = await api('resident-requests', '/tickets', {
          query: { breached: true, status: OPEN_TICKET_STATUSES.join(','), pageSize: PAGE_SIZE },
        });
        return {
          total: answer.total,
          table: dataTable({
            caption: t('supervisor.escalations.ticketsCaption'),
            columns: [
              { key: 'ticketId', label: t('supervisor.escalations.ticketId'), format: ticketLink },
              {
                key: 'categoryName',
                label: t('supervisor.escalations.category'),
                format: (name, row) => (name ? (language() === 'en' ? name.en : name.zh) : row.category),
              },
              {
                key: 'status',
                label: t('supervisor.escalations.status'),
                format: (status) => tOr(`operator.status.${status}`, status),
              },
              {
                key: 'place',
                label: t('supervisor.escalations.community'),
                format: (place) => (place ? place.communityName || place.communityCode : ''),
              },
              { key: 'breachText', label: t('supervisor.escalations.breaches') },
              {
                key: 'resolveDueAt',
                label: t('supervisor.escalations.dueAt'),
                format: formatDateTime,
                exportValue: (v) => v || '',
              },
              {
                key: 'createdAt',
                label: t('supervisor.escalations.createdAt'),
                format: formatDateTime,
                exportValue: (v) => v || '',
              },
            ],
            rows: answer.items.map((ticket) => ({
              ...ticket,
              resolveDueAt: ticket.serviceLevel && ticket.serviceLevel.resolveDueAt,
              breachText: ((ticket.serviceLevel && ticket.serviceLevel.breaches) || [])
                .map(
                  (b) =>
                    `${tOr(`supervisor.escalations.breach.${b.kind}`, b.kind)} ${formatDateTime(b.dueAt)}`,
                )
                .join('；'),
            })),
            exportName: 'breached-tickets',
            rowAttributes: (row) => ({ 'data-ticket-id': row.ticketId }),
          }),
          count: answer.items.length,
        };
      },
    },
    {
      id: 'elder-escalations',
      title: t('supervisor.escalations.elders'),
      load: async () => {
        const answer = await api('elder-care', '/escalations', { query: { status: 'open' } });
        // The list carries the people to call; this overview shows none of them (the elder's page does).
        const rows = answer.items.map((item) => {
          const row = { ...item };
          delete row.contacts;
          return row;
        });
        return {
          total: rows.length,
          count: rows.length,
          table: dataTable({
            caption: t('supervisor.escalations.eldersCaption'),
            columns: [
              { key: 'elderId', label: t('supervisor.escalations.elderId') },
              { key: 'community', label: t('supervisor.escalations.community') },
              {
                key: 'reason',
                label: t('supervisor.escalations.reason'),
                format: (reason) => tOr(`supervisor.escalations.elderReason.${reason}`, reason),
              },
              {
                key: 'visitIds',
                label: t('supervisor.escalations.visits'),
                format: (ids) => String((ids || []).length),
              },
              {
                key: 'createdAt',
                label: t('supervisor.escalations.createdAt'),
                format: formatDateTime,
                exportValue: (v) => v || '',
              },
              {
                key: 'escalationId',
                label: t('supervisor.escalations.acknowledge'),
                format: (id) =>
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'secondary',
                      'data-action': 'acknowledge',
                      onclick: (event) => acknowledge(event.currentTarget, id),
                    },
                    t('supervisor.escalations.acknowledge'),
                  ),
                exportValue: () => '',
              },
            ],
            rows,
            exportName: 'elder-escalations',
            rowAttributes: (row) => ({ 'data-escalation-id': row.escalationId }),
          }),
        };
      },
    },
    {
      id: 'late-cases',
      title: t('supervisor.escalations.cases'),
      load: async () => {
        const answer = await api('mediation', '/cases', { query: { escalated: true, pageSize: PAGE_SIZE } });
        return {
          total: answer.total,
          count: answer.items.length,
          table: dataTable({
            caption: t('supervisor.escalations.casesCaption'),
            columns: [
              { key: 'caseId', label: t('supervisor.escalations.caseId') },
              {
                key: 'caseType',
                label: t('supervisor.escalations.caseType'),
                format: (type) => tOr(`supervisor.escalations.caseTypes.${type}`, type),
              },
              {
                key: 'status',
                label: t('supervisor.escalations.status'),
                format: (status) => tOr(`supervisor.escalations.caseStatus.${status}`, status),
              },
              {
                key: 'communityName',
                label: t('supervisor.escalations.community'),
                format: (name, row) => name || row.communityCode,
              },
              {
                key: 'timeLimitAt',
                label: t('supervisor.escalations.timeLimitAt'),
                format: formatDateTime,
                exportValue: (v) => v || '',
              },
              { key: 'withinTimeLimit', label: t('supervisor.escalations.withinLimit'), format: yesNo },
              { key: 'escalationLevel', label: t('supervisor.escalations.level') },
              { key: 'escalatedTo', label: t('supervisor.escalations.escalatedTo') },
              {
                key: 'ticketId',
                label: t('supervisor.escalations.ticketId'),
                format: (id) => (id ? ticketLink(id) : ''),
              },
            ],
            rows: answer.items,
            exportName: 'escalated-cases',
            rowAttributes: (row) => ({ 'data-case-id': row.caseId }),
          }),
        };
      },
    },
    {
      id: 'escalated-jobs',
      title: t('supervisor.escalations.jobs'),
      load: async () => {
        const answer = await api('dispatch', '/jobs', {
          query: { status: 'escalated', pageSize: PAGE_SIZE },
        });
        return {
          total: answer.total,
          count: answer.items.length,
          table: dataTable({
            caption: t('supervisor.escalations.jobsCaption'),
            columns: [
              { key: 'jobId', label: t('supervisor.escalations.jobId') },
              { key: 'category', label: t('supervisor.escalations.category') },
              {
                key: 'priority',
                label: t('supervisor.escalations.priority'),
                format: (priority) => tOr(`supervisor.escalations.jobPriority.${priority}`, priority),
              },
              {
                key: 'communityName',
                label: t('supervisor.escalations.community'),
                format: (name, row) => name || row.jurisdiction,
              },
              {
                key: 'origin',
                label: t('supervisor.escalations.origin'),
                format: (origin) =>
                  origin && origin.service === 'resident-requests'
                    ? ticketLink(origin.aggregateId)
                    : origin
                      ? `${origin.service} ${origin.aggregateId}`
                      : '',
                exportValue: (origin) => (origin ? `${origin.service} ${origin.aggregateId}` : ''),
              },
              {
                key: 'createdAt',
                label: t('supervisor.escalations.createdAt'),
                format: formatDateTime,
                exportValue: (v) => v || '',
              },
            ],
            rows: answer.items,
            exportName: 'escalated-jobs',
            rowAttributes: (row) => ({ 'data-job-id': row.jobId }),
          }),
        };
      },
    },
  ];

  const areas = new Map();
  main.append(
    h('h1', null, t('supervisor.escalations.title')),
    h('p', { class: 'hint' }, t('supervisor.escalations.intro')),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'button', id: 'escalations-refresh', class: 'secondary', onclick: () => void loadAll(true) },
        t('supervisor.escalations.refresh'),
      ),
    ),
    ...sections.map((section) => {
      const area = h(
        'div',
        { class: 'escalation-body', 'aria-busy': 'true' },
        h('p', { class: 'hint' }, t('common.loading')),
      );
      areas.set(section.id, area);
      return h(
        'section',
        { id: section.id, class: 'escalation-section', 'aria-labelledby': `${section.id}-title` },
        h(
          'h2',
          { id: `${section.id}-title` },
          section.title,
          ' ',
          h('span', { class: 'badge', 'data-count': '' }),
        ),
        area,
      );
    }),
    shortcutsNote([t('supervisor.shortcuts.dashboard'), t('supervisor.shortcuts.escalations')]),
  );

  async function loadSection(section, mine) {
    const area = areas.get(section.id);
    const badge = main.querySelector(`#${section.id} [data-count]`);
    area.setAttribute('aria-busy', 'true');
    try {
      const { table, total, count } = await section.load();
      if (mine !== generation || gone) return;
      clear(area).append(table);
      if (total > count) {
        area.append(h('p', { class: 'hint' }, t('supervisor.escalations.more', { n: count, total })));
      }
      badge.textContent = String(total);
      badge.dataset.count = String(total);
    } catch (error) {
      if (mine !== generation || gone) return;
      clear(area).append(
        h(
          'p',
          { class: 'error' },
          t('supervisor.escalations.failed', { section: section.title, problem: problemText(error) }),
        ),
      );
      badge.textContent = '';
      badge.dataset.count = '';
    } finally {
      if (mine === generation && !gone) area.setAttribute('aria-busy', 'false');
    }
  }

  async function loadAll(announceIt = false) {
    const mine = ++generation;
    await Promise.all(sections.map((section) => loadSection(section, mine)));
    if (announceIt && mine === generation && !gone) announce(t('supervisor.escalations.loaded'));
  }

  async function acknowledge(button, escalationId) {
    button.disabled = true;
    try {
      await api('elder-care', `/escalations/${encodeURIComponent(escalationId)}/acknowledge`, {
        method: 'POST',
        body: {},
      });
      announce(t('supervisor.escalations.acknowledged', { id: escalationId }));
      await loadSection(sections[1], generation);
    } catch (error) {
      button.disabled = false;
      announce(problemText(error), { error: true });
    }
  }

  const refetch = debounce(() => void loadAll(false), LIVE_REFRESH_MS);
  const stopLive = onLive((notice) => {
    if (notice.type === 'reconnected' || TOPICS.test(notice.topic || '')) refetch();
  });

  await loadAll(false);

  return () => {
    gone = true;
    refetch.cancel();
    stopLive();
  };
}
