// A ticket's page: its state, where and who, its timeline, the job's state in dispatch when it has one, and the
// operator's commands with their reasons. It follows the ticket live: a change notice about the ticket or its job
// refetches it (debounced: one accept is several events), so a provider's accept shows without a reload.
import { api, ApiError } from '../../core/api.js';
import { announce, clear, debounce, formatDateTime, h, showProblem } from '../../core/dom.js';
import { t } from '../../core/i18n.js';
import { onLive } from '../../core/live.js';
import {
  ALLOWED_FROM,
  CANCEL_REASONS,
  PRIORITIES,
  REOPEN_REASONS,
  RESOLUTIONS,
  categories,
  categoryName,
  label,
  localName,
} from './codes.js';

/** Events come in bursts (the ticket's and the job's for one accept): one refetch for each burst. */
const REFETCH_PAUSE_MS = 250;

export async function renderTicket(main, params) {
  const ticketId = params.id;
  const catalogue = await categories().catch(() => []);
  const heading = h('h1', { tabindex: '-1' }, t('operator.ticket.title', { id: ticketId }));
  const status = h('p', { id: 'ticket-status', class: 'badge ticket-status', 'data-status': '' });
  const summary = h('div', { class: 'ticket-summary' });
  const job = h('section', {
    class: 'ticket-job-section',
    'aria-labelledby': 'ticket-job-heading',
    hidden: true,
  });
  const timeline = h('ol', { id: 'ticket-timeline', class: 'timeline' });
  const actions = commandForms(ticketId, () => refresh(true));

  clear(main);
  main.append(
    h('p', {}, h('a', { href: '#/tickets' }, t('operator.ticket.back'))),
    heading,
    status,
    summary,
    job,
    h(
      'section',
      { 'aria-labelledby': 'ticket-timeline-heading' },
      h('h2', { id: 'ticket-timeline-heading' }, t('operator.ticket.timeline')),
      timeline,
    ),
    actions.element,
  );

  let ticket;
  let jobId;
  let jobAbort;
  // Refetches can overlap (a notice while a command's answer is read): only the latest one is shown.
  let generation = 0;
  async function refresh(announceChange = false) {
    const mine = ++generation;
    let next;
    try {
      next = await api('resident-requests', `/tickets/${encodeURIComponent(ticketId)}`);
      if (mine !== generation) return;
    } catch (error) {
      if (mine !== generation) return;
      if (error instanceof ApiError && error.status === 404) {
        clear(summary);
        summary.append(h('p', { class: 'error', role: 'alert' }, t('operator.ticket.notFound')));
        actions.element.hidden = true;
        return;
      }
      throw error;
    }
    const changed = ticket !== undefined && ticket.status !== next.status;
    ticket = next;
    status.dataset.status = ticket.status;
    status.textContent = t('operator.ticket.statusLine', { status: label('status', ticket.status) });
    renderSummary(summary, ticket, catalogue);
    renderTimeline(timeline, ticket);
    actions.show(ticket);
    if (changed || announceChange)
      announce(t('operator.ticket.updated', { status: label('status', ticket.status) }));
    jobId = ticket.jobId;
    await refreshJob();
  }

  async function refreshJob() {
    jobAbort?.abort();
    if (!jobId) {
      job.hidden = true;
      return;
    }
    jobAbort = new AbortController();
    let view;
    try {
      view = await api('dispatch', `/jobs/${encodeURIComponent(jobId)}`, { signal: jobAbort.signal });
    } catch (error) {
      if (error?.name === 'AbortError') return;
      // The ticket's own status still tells where the work is; the job is extra detail.
      view = undefined;
    }
    renderJob(job, jobId, view);
  }

  const refetch = debounce(() => {
    refresh().catch(() => undefined);
  }, REFETCH_PAUSE_MS);
  const unsubscribe = onLive((notice) => {
    // After a reconnect, notices may have been missed: refetch anyway.
    if (notice.type === 'reconnected' || notice.subject === ticketId || (jobId && notice.subject === jobId))
      refetch();
  });

  const stop = () => {
    unsubscribe();
    refetch.cancel();
    jobAbort?.abort();
  };
  try {
    await refresh();
  } catch (error) {
    stop();
    throw error;
  }
  return stop;
}

function renderSummary(container, ticket, catalogue) {
  const row = (term, ...value) => [h('dt', {}, term), h('dd', {}, ...value)];
  const priority = t(
    ticket.priority.reason ? 'operator.ticket.priorityWithReason' : 'operator.ticket.priorityLine',
    {
      level: label('priority', ticket.priority.level),
      source: t(`operator.ticket.prioritySource.${ticket.priority.source}`),
      reason: ticket.priority.reason,
    },
  );
  const reporter = ticket.reporter ?? { vulnerable: [] };
  clear(container);
  container.append(
    ...[
      h(
        'dl',
        { class: 'who ticket-details' },
        row(
          t('operator.ticket.category'),
          categoryName(catalogue, ticket.category) || localName(ticket.categoryName),
        ),
        row(t('operator.ticket.priority'), h('span', { 'data-priority': ticket.priority.level }, priority)),
        row(t('operator.ticket.channel'), label('channel', ticket.channel)),
        row(t('operator.ticket.created'), formatDateTime(ticket.createdAt)),
        row(t('operator.ticket.acceptDue'), formatDateTime(ticket.serviceLevel.acceptDueAt)),
        row(
          t('operator.ticket.resolveDue'),
          formatDateTime(ticket.serviceLevel.resolveDueAt),
          ticket.breached ? h('strong', { class: 'breached' }, ' ', t('operator.ticket.breached')) : null,
        ),
        row(t('operator.ticket.description'), ticket.description),
        row(t('operator.ticket.place'), `${ticket.place.communityName} ${ticket.place.address}`),
        row(t('operator.ticket.reporter'), [reporter.name, reporter.phone].filter(Boolean).join(' ') || '—'),
        reporter.vulnerable?.length
          ? row(
              t('operator.ticket.vulnerable'),
              reporter.vulnerable.map((g) => label('vulnerable', g)).join(t('operator.ticket.listSeparator')),
            )
          : null,
        ticket.routedTo && ticket.routedTo !== 'dispatch'
          ? row(
              t('operator.ticket.job'),
              t('operator.ticket.routedTo', { service: label('route', ticket.routedTo) }),
            )
          : null,
        ticket.callback
          ? row(
              t('operator.ticket.callback'),
              t('operator.ticket.callbackStatus', {
                status: label('callbackStatus', ticket.callback.status),
                time: formatDateTime(ticket.callback.dueAt),
                attempts: ticket.callback.attempts,
              }),
            )
          : null,
        ticket.satisfaction
          ? row(
              t('operator.ticket.callback'),
              t('operator.ticket.satisfaction', { score: ticket.satisfaction.score }),
              ticket.satisfaction.comment ? ` ${ticket.satisfaction.comment}` : '',
            )
          : null,
      ),
      ticket.likelyDuplicateOf
        ? h(
            'p',
            { class: 'warning' },
            h(
              'a',
              { href: `#/tickets/${encodeURIComponent(ticket.likelyDuplicateOf)}` },
              t('operator.ticket.duplicateOf', { id: ticket.likelyDuplicateOf }),
            ),
          )
        : null,
    ].filter(Boolean),
  );
}

function renderTimeline(list, ticket) {
  clear(list);
  for (const entry of ticket.timeline ?? []) {
    const step =
      entry.from === undefined
        ? t('operator.ticket.timelineFirst', { to: label('status', entry.to) })
        : entry.from === entry.to
          ? label('status', entry.to)
          : t('operator.ticket.timelineEntry', {
              from: label('status', entry.from),
              to: label('status', entry.to),
            });
    list.append(
      h(
        'li',
        { 'data-to': entry.to },
        h('time', { datetime: entry.at }, formatDateTime(entry.at)),
        ' ',
        step,
        entry.role ? t('operator.ticket.by', { role: label('role', entry.role) }) : '',
        entry.reason ? ` · ${reasonLabel(entry)}` : '',
        entry.note ? ` · ${entry.note}` : '',
      ),
    );
  }
}

/** A timeline reason is a code (a cancel's, a reopening's, a resolution, the intake's channel, a route) or free text. */
function reasonLabel(entry) {
  for (const group of ['cancelReason', 'reopenReason', 'resolution', 'channel', 'route']) {
    const text = label(group, entry.reason);
    if (text !== entry.reason) return text;
  }
  return entry.reason;
}

function renderJob(section, jobId, view) {
  clear(section);
  section.hidden = false;
  const state = view?.status ?? '';
  section.append(
    h('h2', { id: 'ticket-job-heading' }, t('operator.ticket.job')),
    h(
      'p',
      { id: 'ticket-job', 'data-job-id': jobId, 'data-job-status': state },
      state ? t('operator.ticket.jobStatus', { status: label('jobStatus', state) }) : jobId,
      view?.providerId
        ? h('span', {}, ' · ', t('operator.ticket.jobProvider', { provider: view.providerId }))
        : null,
    ),
  );
}

/**
 * The operator's commands, each a small form with the reason the API asks for; which are shown follows the
 * ticket's status. The forms stay in the page across refetches so that a reason being typed is not lost.
 */
function commandForms(ticketId, after) {
  const select = (id, name, group, codes) =>
    h(
      'select',
      { id, name, required: true },
      codes.map((code) => h('option', { value: code }, label(group, code))),
    );
  const control = (id, text, element) => h('div', { class: 'field' }, h('label', { for: id }, text), element);
  const note = (id, name = 'note', required = false) =>
    h('input', { id, name, autocomplete: 'off', ...(required ? { required: true } : {}) });

  const specs = [
    {
      command: 'reprioritise',
      path: 'priority',
      title: t('operator.ticket.reprioritise'),
      fields: [
        control(
          'reprioritise-priority',
          t('operator.ticket.newPriority'),
          select('reprioritise-priority', 'priority', 'priority', PRIORITIES),
        ),
        control(
          'reprioritise-reason',
          t('operator.ticket.reason'),
          note('reprioritise-reason', 'reason', true),
        ),
      ],
    },
    {
      command: 'resolve',
      path: 'resolve',
      title: t('operator.ticket.resolve'),
      fields: [
        control(
          'resolve-resolution',
          t('operator.ticket.resolution'),
          select('resolve-resolution', 'resolution', 'resolution', RESOLUTIONS),
        ),
        control('resolve-note', t('operator.ticket.note'), note('resolve-note')),
      ],
    },
    {
      command: 'reopen',
      path: 'reopen',
      title: t('operator.ticket.reopen'),
      fields: [
        control(
          'reopen-reason',
          t('operator.ticket.reopenReason'),
          select('reopen-reason', 'reason', 'reopenReason', REOPEN_REASONS),
        ),
        control('reopen-note', t('operator.ticket.note'), note('reopen-note')),
      ],
    },
    {
      command: 'cancel',
      path: 'cancel',
      title: t('operator.ticket.cancel'),
      fields: [
        control(
          'cancel-reason',
          t('operator.ticket.cancelReason'),
          select('cancel-reason', 'reason', 'cancelReason', CANCEL_REASONS),
        ),
        control('cancel-note', t('operator.ticket.note'), note('cancel-note')),
      ],
    },
  ];

  const forms = specs.map((spec) => {
    const button = h('button', { type: 'submit' }, t('operator.ticket.apply'));
    const form = h(
      'form',
      { class: 'command', 'data-command': spec.command, novalidate: true, hidden: true },
      h('fieldset', {}, h('legend', {}, spec.title), spec.fields, button),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = {};
      for (const [key, value] of new FormData(form)) {
        const text = String(value).trim();
        if (text !== '') body[key] = text;
      }
      button.disabled = true;
      try {
        await api('resident-requests', `/tickets/${encodeURIComponent(ticketId)}/${spec.path}`, {
          method: 'POST',
          body,
        });
        form.reset();
        await after();
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        if (error.status === 409) {
          announce(t('operator.ticket.conflict'));
          await after();
        } else {
          showProblem(form, error);
        }
      } finally {
        button.disabled = false;
      }
    });
    return { spec, form };
  });

  const element = h(
    'section',
    { class: 'ticket-actions', 'aria-labelledby': 'ticket-actions-heading' },
    h('h2', { id: 'ticket-actions-heading' }, t('operator.ticket.actions')),
    forms.map(({ form }) => form),
  );
  return {
    element,
    show(ticket) {
      let any = false;
      for (const { spec, form } of forms) {
        form.hidden = !ALLOWED_FROM[spec.command].includes(ticket.status);
        // The priority offered first is the ticket's own, unless the operator is choosing another right now.
        const priority = form.querySelector('select[name=priority]');
        if (priority && !form.contains(document.activeElement)) priority.value = ticket.priority.level;
        any ||= !form.hidden;
      }
      element.hidden = !any;
    },
  };
}
