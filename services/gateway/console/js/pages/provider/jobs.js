// What the provider's three screens share: dispatch's job calls, a job's card, the answers (accept, decline,
// start, complete) with their forms and messages, the offers' countdown, and refetching on live notices.
import { api, ApiError, session } from '../../core/api.js';
import {
  announce,
  clearProblems,
  debounce,
  formatDateTime,
  formatTime,
  h,
  problemText,
  showProblem,
} from '../../core/dom.js';
import { t, tOr } from '../../core/i18n.js';
import { onLive } from '../../core/live.js';

/** dispatch's job topic: its notices (subject = job id) are the ones that change what a provider sees. */
export const JOB_TOPIC = 'linli.dispatch.job.v1';
/** resident-requests' ticket topic: a ticket's notice may change whether its contact is shown. */
export const TICKET_TOPIC = 'linli.resident-requests.ticket.v1';
/** While a provider holds a job (dispatch's HELD_STATUSES). */
export const HELD = ['accepted', 'started'];
export const DECLINE_REASONS = ['busy', 'out-of-area', 'lacks-skill', 'other'];
export const OUTCOMES = ['done', 'partly-done', 'not-needed'];

export function myProviderId() {
  const current = session();
  return (current && current.user && current.user.providerId) || null;
}

export const jobsApi = {
  offered: () => api('dispatch', '/jobs/offered'),
  mine: (status) => api('dispatch', '/jobs/mine', { query: { status } }),
  get: (jobId) => api('dispatch', `/jobs/${encodeURIComponent(jobId)}`),
  accept: (jobId) => api('dispatch', `/jobs/${encodeURIComponent(jobId)}/accept`, { method: 'POST' }),
  decline: (jobId, body) =>
    api('dispatch', `/jobs/${encodeURIComponent(jobId)}/decline`, { method: 'POST', body }),
  start: (jobId, body) =>
    api('dispatch', `/jobs/${encodeURIComponent(jobId)}/start`, { method: 'POST', body }),
  complete: (jobId, body) =>
    api('dispatch', `/jobs/${encodeURIComponent(jobId)}/complete`, { method: 'POST', body }),
};

// ---- names of codes -----------------------------------------------------------------------------------------------

export const categoryName = (code) => tOr(`provider.category.${code}`, code);
export const priorityName = (code) => tOr(`provider.priority.${code}`, code);
export const skillName = (code) => tOr(`provider.skill.${code}`, code);
export const statusName = (code) => tOr(`provider.status.${code}`, code);
export const outcomeName = (code) => tOr(`provider.complete.outcomes.${code}`, code);
export const timelineName = (code) => tOr(`provider.timelineType.${code}`, code);

/** "维修 · 仙霞路社区": how a message names a job. */
export function jobLabel(job) {
  return [categoryName(job.category), job.communityName].filter(Boolean).join(' · ');
}

// ---- the card -----------------------------------------------------------------------------------------------------

/** mm:ss (or h:mm:ss) left until `iso`, from `now`; null once it has passed. */
export function timeLeft(iso, now = Date.now()) {
  const ms = new Date(iso).getTime() - now;
  if (!(ms > 0)) return null;
  const total = Math.ceil(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** The offer's countdown element; `tickCountdowns` keeps every one on the page current. */
export function countdown(expiresAt) {
  const element = h('span', { class: 'countdown', 'data-expires-at': expiresAt });
  paintCountdown(element);
  return element;
}

function paintCountdown(element, now = Date.now()) {
  const left = timeLeft(element.dataset.expiresAt, now);
  element.textContent = left ? t('provider.offers.expiresIn', { time: left }) : t('provider.offers.expired');
  element.classList.toggle('expired', !left);
  element.classList.toggle(
    'soon',
    Boolean(left) && new Date(element.dataset.expiresAt).getTime() - now < 60_000,
  );
  return Boolean(left);
}

/** Repaints the countdowns under `root` once a second; `onExpired(jobId)` when one runs out. Returns the stop. */
export function tickCountdowns(root, onExpired) {
  const timer = setInterval(() => {
    const now = Date.now();
    for (const element of root.querySelectorAll('.countdown[data-expires-at]')) {
      const wasOpen = !element.classList.contains('expired');
      if (!paintCountdown(element, now) && wasOpen) {
        const item = element.closest('[data-job-id]');
        if (item) onExpired(item.dataset.jobId, item);
      }
    }
  }, 1000);
  return () => clearInterval(timer);
}

function fact(label, value) {
  if (value === undefined || value === null || value === '') return null;
  return [h('dt', {}, label), h('dd', {}, value)];
}

/**
 * A job as a card: `li[data-job-id][data-status]` with its category, community, priority and due time, the offer's
 * countdown when it is offered to me, and `actions` (nodes) below.
 */
export function jobCard(job, { actions = [], link = true } = {}) {
  const headingId = `job-${job.jobId}-title`;
  const title = categoryName(job.category);
  return h(
    'li',
    {
      class: ['job-card', 'card', `priority-${job.priority}`],
      'data-job-id': job.jobId,
      'data-status': job.status,
      'aria-labelledby': headingId,
    },
    h(
      'h2',
      { class: 'job-title', id: headingId },
      link ? h('a', { href: `#/jobs/${encodeURIComponent(job.jobId)}` }, title) : title,
      ' ',
      h('span', { class: ['badge', job.priority !== 'routine' && 'urgent'] }, priorityName(job.priority)),
      job.status !== 'offered' || !job.offer
        ? h('span', { class: ['badge', 'badge-status'], 'data-status': job.status }, statusName(job.status))
        : null,
    ),
    h(
      'dl',
      { class: 'job-facts' },
      fact(t('provider.field.community'), job.communityName || job.jurisdiction),
      fact(t('provider.job.skill'), skillName(job.skill)),
      fact(t('provider.field.dueBy'), job.dueBy ? formatDateTime(job.dueBy) : null),
      job.offer
        ? fact(
            t('provider.job.offer'),
            h(
              'span',
              {},
              h('time', { datetime: job.offer.expiresAt }, formatTime(job.offer.expiresAt)),
              ' ',
              countdown(job.offer.expiresAt),
            ),
          )
        : null,
    ),
    actions.length ? h('div', { class: ['job-actions', 'actions'] }, actions) : null,
  );
}

// ---- answers ------------------------------------------------------------------------------------------------------

/** The message for a refused accept: mine already, taken by another, no longer open to me. */
export function acceptProblemText(error) {
  if (error instanceof ApiError) {
    const current = (error.problem && error.problem.current) || {};
    if (error.status === 409 && current.providerId && current.providerId === myProviderId()) {
      return t('provider.offers.alreadyMine');
    }
    if (error.status === 409 && (current.providerId || (current.status && current.status !== 'offered'))) {
      return t('provider.offers.taken');
    }
    if (error.status === 409) return t('provider.offers.notOpen');
    if (error.status === 404) return t('provider.offers.gone');
  }
  return t('provider.failed', { reason: problemText(error) });
}

/**
 * The accept button: one tap; while the call runs the button says so and further taps are ignored. `done(job)`
 * after an accept, `failed(message)` after a refusal; both refresh what the page shows.
 */
export function acceptButton(job, { done, failed }) {
  let running = false;
  const button = h(
    'button',
    {
      type: 'button',
      class: ['primary', 'big'],
      'data-action': 'accept',
      onclick: async () => {
        if (running) return;
        running = true;
        button.setAttribute('aria-disabled', 'true');
        button.textContent = t('provider.offers.accepting');
        try {
          const accepted = await jobsApi.accept(job.jobId);
          await done(accepted);
        } catch (error) {
          await failed(acceptProblemText(error), error);
        } finally {
          running = false;
          button.removeAttribute('aria-disabled');
          button.textContent = t('provider.offers.accept');
        }
      },
    },
    t('provider.offers.accept'),
  );
  return button;
}

function selectField({ id, name, label, options, value, required, placeholder }) {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h(
      'select',
      { id, name, required },
      placeholder !== undefined ? h('option', { value: '' }, placeholder) : null,
      options.map(([code, text]) => h('option', { value: code, selected: code === value }, text)),
    ),
  );
}

function textField({ id, name, label, maxlength }) {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h('textarea', { id, name, rows: 2, maxlength }),
  );
}

/**
 * Decline: a button that opens a small form asking the reason the API wants (busy, out-of-area, lacks-skill,
 * other) and an optional note. `done(job)` after the decline.
 */
export function declineControl(job, { done, failed }) {
  const base = `decline-${job.jobId}`;
  const wrapper = h('div', { class: 'decline' });
  const open = h(
    'button',
    {
      type: 'button',
      class: ['secondary', 'big'],
      'data-action': 'decline',
      'aria-expanded': 'false',
      'aria-controls': `${base}-form`,
      onclick: () => toggle(true),
    },
    t('provider.offers.decline'),
  );
  const form = h(
    'form',
    { class: 'answer-form', id: `${base}-form`, hidden: true, novalidate: true },
    h(
      'fieldset',
      {},
      h('legend', {}, t('provider.decline.legend')),
      selectField({
        id: `${base}-reason`,
        name: 'reason',
        label: t('provider.decline.reason'),
        options: DECLINE_REASONS.map((code) => [code, t(`provider.decline.reasons.${code}`)]),
        required: true,
        placeholder: t('provider.decline.choose'),
      }),
      textField({ id: `${base}-note`, name: 'note', label: t('provider.decline.note'), maxlength: 500 }),
      h(
        'div',
        { class: 'form-buttons' },
        h(
          'button',
          { type: 'submit', class: ['danger', 'big'], 'data-action': 'confirm-decline' },
          t('provider.decline.submit'),
        ),
        h(
          'button',
          { type: 'button', class: ['secondary', 'big'], onclick: () => toggle(false) },
          t('provider.decline.cancel'),
        ),
      ),
    ),
  );
  let running = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (running) return;
    const reason = form.elements.reason.value;
    const note = form.elements.note.value.trim();
    if (!reason) {
      showProblem(form, { fieldErrors: [{ field: 'reason', message: t('provider.decline.required') }] });
      return;
    }
    clearProblems(form);
    running = true;
    try {
      const declined = await jobsApi.decline(job.jobId, { reason, ...(note ? { note } : {}) });
      await done(declined);
    } catch (error) {
      if (error instanceof ApiError && error.fieldErrors.length) showProblem(form, error);
      else await failed(acceptProblemText(error), error);
    } finally {
      running = false;
    }
  });
  function toggle(show) {
    form.hidden = !show;
    open.hidden = show;
    open.setAttribute('aria-expanded', String(show));
    if (show) form.elements.reason.focus();
    else open.focus();
  }
  wrapper.append(open, form);
  return wrapper;
}

function currentPosition() {
  return new Promise((resolve) => {
    if (!navigator.geolocation) {
      resolve(null);
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (position) => resolve({ lat: position.coords.latitude, lng: position.coords.longitude }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
    );
  });
}

/** Start (check in on site), with the current location when the provider ticks the box. */
export function startControl(job, { done, failed }) {
  const id = `start-${job.jobId}-location`;
  let running = false;
  const withLocation = h('input', { type: 'checkbox', id, name: 'location' });
  const button = h(
    'button',
    {
      type: 'button',
      class: ['primary', 'big'],
      'data-action': 'start',
      onclick: async () => {
        if (running) return;
        running = true;
        button.setAttribute('aria-disabled', 'true');
        button.textContent = t('provider.start.starting');
        try {
          const location = withLocation.checked ? await currentPosition() : null;
          const started = await jobsApi.start(job.jobId, location ? { location } : {});
          await done(started, withLocation.checked && !location ? t('provider.start.noLocation') : '');
        } catch (error) {
          await failed(t('provider.failed', { reason: problemText(error) }), error);
        } finally {
          running = false;
          button.removeAttribute('aria-disabled');
          button.textContent = t('provider.start.button');
        }
      },
    },
    t('provider.start.button'),
  );
  return h(
    'div',
    { class: 'start' },
    button,
    h('div', { class: 'check' }, withLocation, h('label', { for: id }, t('provider.start.withLocation'))),
  );
}

/** Complete: a button that opens the form the API asks for (outcome; what was done and notes optional). */
export function completeControl(job, { done, failed }) {
  const base = `complete-${job.jobId}`;
  const wrapper = h('div', { class: 'complete' });
  const open = h(
    'button',
    {
      type: 'button',
      class: ['primary', 'big'],
      'data-action': 'complete',
      'aria-expanded': 'false',
      'aria-controls': `${base}-form`,
      onclick: () => toggle(true),
    },
    t('provider.complete.button'),
  );
  const form = h(
    'form',
    { class: 'answer-form', id: `${base}-form`, hidden: true, novalidate: true },
    h(
      'fieldset',
      {},
      h('legend', {}, t('provider.complete.legend')),
      selectField({
        id: `${base}-outcome`,
        name: 'outcome',
        label: t('provider.complete.outcome'),
        options: OUTCOMES.map((code) => [code, outcomeName(code)]),
        value: 'done',
        required: true,
      }),
      textField({
        id: `${base}-work`,
        name: 'workDone',
        label: t('provider.complete.workDone'),
        maxlength: 2000,
      }),
      textField({ id: `${base}-notes`, name: 'notes', label: t('provider.complete.notes'), maxlength: 2000 }),
      h(
        'div',
        { class: 'form-buttons' },
        h(
          'button',
          { type: 'submit', class: ['primary', 'big'], 'data-action': 'confirm-complete' },
          t('provider.complete.submit'),
        ),
        h(
          'button',
          { type: 'button', class: ['secondary', 'big'], onclick: () => toggle(false) },
          t('provider.complete.cancel'),
        ),
      ),
    ),
  );
  let running = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (running) return;
    clearProblems(form);
    const body = { outcome: form.elements.outcome.value };
    const workDone = form.elements.workDone.value.trim();
    const notes = form.elements.notes.value.trim();
    if (workDone) body.workDone = workDone;
    if (notes) body.notes = notes;
    running = true;
    try {
      const completed = await jobsApi.complete(job.jobId, body);
      await done(completed);
    } catch (error) {
      if (error instanceof ApiError && error.fieldErrors.length) showProblem(form, error);
      else await failed(t('provider.failed', { reason: problemText(error) }), error);
    } finally {
      running = false;
    }
  });
  function toggle(show) {
    form.hidden = !show;
    open.hidden = show;
    open.setAttribute('aria-expanded', String(show));
    if (show) form.elements.outcome.focus();
    else open.focus();
  }
  wrapper.append(open, form);
  return wrapper;
}

// ---- the page's notice and live refetch ---------------------------------------------------------------------------

/**
 * The page's message line (`.page-notice`): what the last answer did or why it was refused, also announced; an
 * optional link (the accepted job's page).
 */
export function pageNotice() {
  const element = h('div', { class: 'page-notice', hidden: true });
  return {
    element,
    show(text, { error = false, link } = {}) {
      element.replaceChildren(h('p', {}, text));
      if (link) element.append(h('p', {}, h('a', { href: link.href, class: 'big-link' }, link.text)));
      element.classList.toggle('error', error);
      element.hidden = false;
      announce(text, { error });
    },
    hide() {
      element.hidden = true;
      element.replaceChildren();
    },
  };
}

/**
 * Calls `refresh(cause)` (debounced) on the live notices `relevant(notice)` picks ('live') and after the stream
 * reconnects ('reconnect': notices may have been missed), and every `fallbackMs` besides ('fallback': for notices the
 * stream cannot carry, a provider serving beyond its user's jurisdiction). Returns the stop.
 */
export function refreshOnLive(refresh, relevant, { fallbackMs = 60_000, debounceMs = 300 } = {}) {
  const later = debounce(refresh, debounceMs);
  // The cause reaches `refresh` (the last one when several fall in one debounce): pages mark what arrived by which.
  const stopLive = onLive((notice) => {
    if (notice.type === 'reconnected') later('reconnect');
    else if (relevant(notice)) later('live');
  });
  const timer = setInterval(() => {
    if (document.visibilityState !== 'hidden') later('fallback');
  }, fallbackMs);
  return () => {
    stopLive();
    later.cancel();
    clearInterval(timer);
  };
}

/**
 * Keeps `list`'s items as `items` says, by `data-job-id`: items of jobs gone are removed, new ones added in order,
 * and a kept job's item replaced only when `changed(old, job)` (so an open form is not wiped by a refetch). Returns
 * the ids added.
 */
export function reconcile(list, items, build, changed) {
  const existing = new Map(
    [...list.querySelectorAll(':scope > [data-job-id]')].map((li) => [li.dataset.jobId, li]),
  );
  const wanted = new Set(items.map((job) => job.jobId));
  const focusedGone = [...existing.entries()].some(
    ([id, li]) => !wanted.has(id) && li.contains(document.activeElement),
  );
  for (const [id, li] of existing) if (!wanted.has(id)) li.remove();
  const added = [];
  let previous = null;
  for (const job of items) {
    let li = existing.get(job.jobId);
    if (!li) {
      li = build(job);
      added.push(job.jobId);
    } else if (changed(li, job)) {
      const hadFocus = li.contains(document.activeElement);
      const fresh = build(job);
      li.replaceWith(fresh);
      li = fresh;
      // The card drawn again keeps the keyboard where it was: on its next action (start → complete).
      if (hadFocus) (fresh.querySelector('[data-action]') || fresh.querySelector('a'))?.focus();
    }
    if (previous ? previous.nextSibling !== li : list.firstChild !== li) {
      if (previous) previous.after(li);
      else list.prepend(li);
    }
    previous = li;
  }
  return { added, focusedGone };
}

/** The signature of what a card shows: a job whose signature changed is drawn again. */
export function signature(job) {
  return [
    job.status,
    job.priority,
    job.offer ? job.offer.expiresAt : '',
    job.dueBy || '',
    job.updatedAt,
  ].join('|');
}
