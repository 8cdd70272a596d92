// #/jobs/<id>: one job as its provider sees it, with the answer it waits for (accept/decline while offered to me,
// start, complete while I hold it), its history, and the resident's contact (`#job-contact`) only while I hold it.
// The contact comes from the requesting service (resident-requests for a ticket), which refuses it to anyone not
// holding the job: a refusal shows nothing, not an error. It learns who holds the job from dispatch's events, so
// right after an accept it may still refuse; the ticket's notice (assigned) fetches the contact again.
import { ApiError, api } from '../../core/api.js';
import { formatDateTime, h, problemText } from '../../core/dom.js';
import { t } from '../../core/i18n.js';
import {
  acceptButton,
  categoryName,
  completeControl,
  declineControl,
  HELD,
  JOB_TOPIC,
  jobLabel,
  jobsApi,
  myProviderId,
  outcomeName,
  pageNotice,
  priorityName,
  refreshOnLive,
  skillName,
  startControl,
  statusName,
  tickCountdowns,
  countdown,
  timelineName,
  TICKET_TOPIC,
} from './jobs.js';

export async function renderJob(main, params) {
  const jobId = params.id;
  let alive = true;
  let job = null;
  let shownSignature = '';
  let contactRetries = 0;
  let contactTimer = null;
  const notice = pageNotice();
  const title = h('h1', { id: 'job-title', tabindex: '-1' }, t('provider.job.title'));
  const body = h('div', { class: 'job-page', 'aria-busy': 'true' });
  const contact = h('section', {
    id: 'job-contact',
    class: 'contact',
    'aria-labelledby': 'job-contact-title',
    hidden: true,
  });
  // The contact right under the job's facts and actions (what the provider on site looks for), its history last.
  const history = h('div', { class: 'job-history' });
  main.replaceChildren(title, notice.element, body, contact, history);

  const answers = {
    async done(next, extra) {
      notice.show(
        [t('provider.job.updated', { status: statusName(next.status) }), extra].filter(Boolean).join(' '),
      );
      await refresh();
    },
    async failed(message) {
      notice.show(message, { error: true });
      await refresh();
    },
  };

  function facts() {
    const rows = [
      [
        t('provider.job.status'),
        h('span', { id: 'job-status', 'data-status': job.status }, statusName(job.status)),
      ],
      [t('provider.job.category'), categoryName(job.category)],
      [t('provider.job.skill'), skillName(job.skill)],
      [t('provider.job.community'), job.communityName || job.jurisdiction],
      [t('provider.job.priority'), priorityName(job.priority)],
      [t('provider.job.dueBy'), job.dueBy ? formatDateTime(job.dueBy) : null],
      [
        t('provider.job.offer'),
        job.offer
          ? h(
              'span',
              {},
              h('time', { datetime: job.offer.expiresAt }, formatDateTime(job.offer.expiresAt)),
              ' ',
              countdown(job.offer.expiresAt),
            )
          : null,
      ],
      [t('provider.job.startedAt'), job.startedAt ? formatDateTime(job.startedAt) : null],
      [t('provider.job.completedAt'), job.completedAt ? formatDateTime(job.completedAt) : null],
      [t('provider.job.outcome'), job.outcome ? outcomeName(job.outcome) : null],
      [t('provider.job.workDone'), job.workDone],
      [t('provider.job.notes'), job.notes],
    ];
    return h(
      'dl',
      { class: 'job-facts wide' },
      rows
        .filter(([, value]) => value !== null && value !== undefined && value !== '')
        .map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
    );
  }

  function actions() {
    const mine = myProviderId();
    const held = HELD.includes(job.status) && job.providerId === mine;
    const buttons = [];
    if (job.status === 'offered' && job.offer)
      buttons.push(acceptButton(job, answers), declineControl(job, answers));
    if (held && job.status === 'accepted') buttons.push(startControl(job, answers));
    if (held && job.status === 'started') buttons.push(completeControl(job, answers));
    return buttons.length
      ? h('div', { class: 'job-actions', 'data-job-id': job.jobId, 'data-status': job.status }, buttons)
      : null;
  }

  function timeline() {
    return h(
      'section',
      { 'aria-labelledby': 'job-timeline-title' },
      h('h2', { id: 'job-timeline-title' }, t('provider.job.timeline')),
      h(
        'ol',
        { id: 'job-timeline', class: 'timeline' },
        job.timeline.map((entry) =>
          h(
            'li',
            { 'data-type': entry.type },
            h('time', { datetime: entry.at }, formatDateTime(entry.at)),
            ' ',
            h('strong', {}, timelineName(entry.type)),
            entry.status ? ` · ${statusName(entry.status)}` : '',
          ),
        ),
      ),
    );
  }

  function draw() {
    const next = [job.status, job.offer ? job.offer.expiresAt : '', job.updatedAt].join('|');
    if (next === shownSignature) return;
    const hadFocus = body.contains(document.activeElement);
    shownSignature = next;
    title.textContent = `${t('provider.job.title')}：${jobLabel(job)}`;
    body.replaceChildren(
      h('div', { 'data-job-id': job.jobId, 'data-status': job.status, id: 'job' }, facts(), actions()),
    );
    history.replaceChildren(timeline());
    body.setAttribute('aria-busy', 'false');
    if (hadFocus) (body.querySelector('[data-action]') || title).focus();
  }

  /** The resident's contact while I hold a ticket's job; hidden (and emptied) otherwise or when refused. */
  async function loadContact() {
    const holding = HELD.includes(job.status) && job.providerId && job.providerId === myProviderId();
    if (!holding || job.origin.service !== 'resident-requests') {
      hideContact();
      return;
    }
    let view;
    try {
      view = await api('resident-requests', `/tickets/${encodeURIComponent(job.origin.aggregateId)}/contact`);
    } catch {
      // Refused (not held as far as resident-requests knows yet, or any more), or unreachable: nothing to show.
      hideContact();
      // Held here but not yet there: its ticket's notice fetches it again; a few retries cover a missed notice.
      if (alive && contactRetries < 5) {
        contactRetries += 1;
        clearTimeout(contactTimer);
        contactTimer = setTimeout(() => void refresh(), 2000 * contactRetries);
      }
      return;
    }
    contactRetries = 0;
    if (!alive) return;
    const phone = view.phone
      ? h(
          'a',
          {
            href: `tel:${view.phone}`,
            class: 'big-link',
            'aria-label': t('provider.job.call', { phone: view.phone }),
          },
          view.phone,
        )
      : null;
    const rows = [
      [t('provider.job.name'), view.name],
      [t('provider.job.phone'), phone],
      [t('provider.job.address'), [view.communityName, view.address].filter(Boolean).join(' ')],
      [t('provider.job.description'), view.description],
    ];
    contact.replaceChildren(
      h('h2', { id: 'job-contact-title' }, t('provider.job.contact')),
      h('p', { class: 'hint' }, t('provider.job.contactHint')),
      h(
        'dl',
        { class: 'job-facts wide' },
        rows.filter(([, v]) => v).map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
      ),
    );
    contact.hidden = false;
  }

  function hideContact() {
    contact.hidden = true;
    contact.replaceChildren();
  }

  let loading = null;
  let again = false;
  async function refresh() {
    if (loading) {
      again = true;
      return loading;
    }
    loading = (async () => {
      do {
        again = false;
        await load();
      } while (again && alive);
    })().finally(() => {
      loading = null;
    });
    return loading;
  }

  async function load() {
    try {
      job = await jobsApi.get(jobId);
    } catch (error) {
      if (!alive) return;
      hideContact();
      if (error instanceof ApiError && (error.status === 404 || error.status === 403)) {
        body.replaceChildren(h('p', { class: 'empty' }, t('provider.job.notFound')));
        history.replaceChildren();
        body.setAttribute('aria-busy', 'false');
        shownSignature = '';
      } else {
        notice.show(t('provider.loadFailed', { reason: problemText(error) }), { error: true });
      }
      return;
    }
    if (!alive) return;
    draw();
    await loadContact();
  }

  await load();
  const stopLive = refreshOnLive(
    refresh,
    (change) =>
      (change.topic === JOB_TOPIC && change.subject === jobId) ||
      (change.topic === TICKET_TOPIC && job && job.origin.aggregateId === change.subject),
  );
  const stopTicking = tickCountdowns(body, () => refresh());
  return () => {
    alive = false;
    clearTimeout(contactTimer);
    stopLive();
    stopTicking();
  };
}
