// #/cases/<id>: one case as mediation answers it (parties whole for the mediator holding it, masked otherwise), its
// sessions (schedule `#session-form`, move, call off, record the result), the outcome (`#outcome-form`, then
// `#case-outcome[data-kind]`), the follow-up visits of an agreement and the timeline. `#case-status[data-status]`
// follows the case live: a notice for this case refetches it; while the mediator is typing in a form the page only
// offers the newer version instead of replacing the form under their hands.
import { api, session } from '../../core/api.js';
import {
  announce,
  clear,
  clearProblems,
  formatDateTime,
  h,
  problemText,
  showProblem,
} from '../../core/dom.js';
import { t } from '../../core/i18n.js';
import {
  FOLLOW_UP_PLANS,
  OUTCOMES,
  REFERRAL_TARGETS,
  addDays,
  chinaDate,
  defaultSessionTime,
  fromChinaInput,
  label,
  mondayOf,
  refreshOnCaseNotices,
  toChinaInput,
} from './codes.js';

const OPEN_STATUSES = ['open', 'assigned', 'in-mediation'];
const RECORDABLE_FOLLOW_UPS = ['scheduled', 'due'];

const field = (id, text, control, hint) =>
  h(
    'div',
    { class: 'field' },
    h('label', { for: id }, text),
    control,
    hint ? h('p', { class: 'hint' }, hint) : null,
  );

const select = (attrs, options, empty) =>
  h(
    'select',
    attrs,
    empty !== undefined ? h('option', { value: '' }, empty) : null,
    options.map(([value, text]) => h('option', { value }, text)),
  );

export async function renderCase(main, params) {
  const caseId = params.id;
  const path = `/cases/${encodeURIComponent(caseId)}`;
  let view = null;
  let alive = true;
  /** Something typed and not yet sent: a live update waits for the mediator instead of wiping it. */
  let dirty = false;

  const status = h('p', { id: 'case-status', class: 'case-status', 'aria-live': 'polite' });
  const newer = h(
    'p',
    { class: 'warning', id: 'case-newer', hidden: true },
    t('mediator.updated'),
    ' ',
    h(
      'button',
      { type: 'button', class: 'secondary', onclick: () => void load({ force: true }) },
      t('mediator.reload'),
    ),
  );
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const body = h('div', { class: 'case-body' });
  main.replaceChildren(
    h('h1', null, t('mediator.case.title', { id: caseId })),
    h('p', null, h('a', { href: '#/cases' }, t('mediator.case.back'))),
    status,
    newer,
    problem,
    body,
  );
  // On this page's own element: <main> outlives the page.
  body.addEventListener('input', (event) => {
    if (event.target.closest('form')) dirty = true;
  });

  async function load({ force = false, focus } = {}) {
    let next;
    try {
      next = await api('mediation', path);
    } catch (error) {
      if (!alive) return;
      problem.textContent = t('mediator.loadFailed', { reason: problemText(error) });
      problem.hidden = false;
      return;
    }
    if (!alive) return;
    problem.hidden = true;
    if (!force && view && next.version === view.version) return;
    if (!force && view && dirty) {
      newer.hidden = false;
      return;
    }
    view = next;
    dirty = false;
    newer.hidden = true;
    render();
    if (focus) main.querySelector(focus)?.focus();
  }

  /** A command: its button disabled meanwhile, problems on the form's fields, the case refetched after. */
  async function act(form, command, { done, focus }) {
    const button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    clearProblems(form);
    try {
      const result = await command();
      announce(done(result));
      await load({ force: true, focus });
    } catch (error) {
      if (!alive) return;
      showProblem(form, error);
      announce(problemText(error), { error: true });
    } finally {
      if (button && button.isConnected) button.disabled = false;
    }
  }

  function render() {
    status.dataset.status = view.status;
    status.textContent = t('mediator.case.status', { status: label('status', view.status) });
    const me = session()?.user;
    const holding = Boolean(me?.providerId && view.mediator?.mediatorId === me.providerId);
    const open = OPEN_STATUSES.includes(view.status);
    clear(body).append(
      summarySection(),
      partiesSection(),
      sessionsSection(open),
      outcomeSection(),
      followUpsSection(holding || !me?.roles?.includes('mediator')),
      timelineSection(),
    );
  }

  // ---- summary and parties ----

  function summarySection() {
    const limit = `${formatDateTime(view.timeLimitAt)} (${
      view.withinTimeLimit ? t('mediator.case.withinLimit') : t('mediator.case.overdue')
    })`;
    const rows = [
      [t('mediator.case.caseType'), label('caseType', view.caseType)],
      [t('mediator.case.riskLevel'), label('riskLevel', view.riskLevel)],
      [t('mediator.case.community'), view.communityName],
      [t('mediator.case.openedAt'), formatDateTime(view.openedAt)],
      [t('mediator.case.timeLimitAt'), limit],
      [
        t('mediator.case.source'),
        view.ticketId
          ? `${label('source', view.source)} · ${t('mediator.case.ticket', { id: view.ticketId })}`
          : label('source', view.source),
      ],
      [t('mediator.case.description'), view.description],
    ];
    return h(
      'section',
      { 'aria-labelledby': 'case-summary-title' },
      h('h2', { id: 'case-summary-title' }, t('mediator.case.summary')),
      h(
        'dl',
        { class: 'who' },
        rows.map(([term, value]) => [h('dt', null, term), h('dd', null, value)]),
      ),
      view.personalData === 'masked' ? h('p', { class: 'hint' }, t('mediator.case.masked')) : null,
    );
  }

  function partiesSection() {
    const parties = view.parties || [];
    return h(
      'section',
      { 'aria-labelledby': 'case-parties-title' },
      h('h2', { id: 'case-parties-title' }, t('mediator.case.parties')),
      parties.length === 0
        ? h('p', { class: 'empty' }, t('mediator.case.noParties'))
        : h(
            'div',
            { class: 'table-scroll' },
            h(
              'table',
              { class: 'data', id: 'case-parties' },
              h(
                'thead',
                null,
                h(
                  'tr',
                  null,
                  [
                    t('mediator.case.partyRole'),
                    t('mediator.case.partyName'),
                    t('mediator.case.partyPhone'),
                    t('mediator.case.partyIdentity'),
                  ].map((text) => h('th', { scope: 'col' }, text)),
                ),
              ),
              h(
                'tbody',
                null,
                parties.map((party) =>
                  h(
                    'tr',
                    { 'data-party-id': party.partyId },
                    h('td', null, label('partyRole', party.role)),
                    h('td', null, party.name),
                    h('td', null, party.phone || '—'),
                    h('td', null, party.identityNumber || '—'),
                  ),
                ),
              ),
            ),
          ),
    );
  }

  // ---- sessions ----

  function sessionsSection(open) {
    const sessions = [...(view.sessions || [])].sort((a, b) => a.scheduledFor.localeCompare(b.scheduledFor));
    const list = h(
      'ol',
      { id: 'case-sessions', class: 'session-list' },
      sessions.map((item) => sessionItem(item, open)),
    );
    return h(
      'section',
      { 'aria-labelledby': 'case-sessions-title' },
      h('h2', { id: 'case-sessions-title', tabindex: '-1' }, t('mediator.sessions.title')),
      sessions.length ? list : [h('p', { class: 'empty' }, t('mediator.sessions.empty')), list],
      open ? scheduleForm() : null,
    );
  }

  function sessionItem(item, open) {
    const week = mondayOf(chinaDate(item.scheduledFor));
    const details = [
      formatDateTime(item.scheduledFor),
      item.place,
      label('sessionStatus', item.status),
      item.heldAt ? t('mediator.sessions.heldAt', { when: formatDateTime(item.heldAt) }) : null,
      item.rescheduled ? t('mediator.sessions.moved', { n: item.rescheduled }) : null,
    ].filter(Boolean);
    const slot = h('div', { class: 'session-form-slot' });
    const toggle = (build) => () => {
      const shown = slot.firstChild;
      clear(slot);
      if (shown && shown.dataset.form === build.name) return;
      const form = build(item);
      form.dataset.form = build.name;
      slot.append(form);
      form.querySelector('input, textarea, select')?.focus();
    };
    const actions =
      open && item.status === 'scheduled'
        ? h(
            'div',
            { class: 'actions' },
            h(
              'button',
              { type: 'button', class: 'secondary', 'data-action': 'record', onclick: toggle(recordForm) },
              t('mediator.sessions.record'),
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                'data-action': 'reschedule',
                onclick: toggle(rescheduleForm),
              },
              t('mediator.sessions.reschedule'),
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'danger',
                'data-action': 'cancel-session',
                onclick: toggle(cancelForm),
              },
              t('mediator.sessions.cancel'),
            ),
          )
        : null;
    return h(
      'li',
      { 'data-session-id': item.sessionId, 'data-status': item.status, class: `session ${item.status}` },
      h('p', null, h('strong', null, item.sessionId), ' · ', details.join(' · ')),
      item.minutes ? h('p', { class: 'minutes' }, item.minutes) : null,
      h(
        'p',
        null,
        h(
          'a',
          { href: `#/sessions?week=${week}`, 'data-calendar-link': item.sessionId },
          t('mediator.sessions.inCalendar'),
        ),
      ),
      actions,
      slot,
    );
  }

  function scheduleForm() {
    const when = h('input', {
      id: 'session-when',
      name: 'scheduledFor',
      type: 'datetime-local',
      required: true,
      value: defaultSessionTime(),
    });
    const place = h('input', {
      id: 'session-place',
      name: 'place',
      type: 'text',
      required: true,
      maxlength: '200',
      value: t('mediator.sessions.placeDefault'),
    });
    const form = h(
      'form',
      { id: 'session-form', class: 'card', novalidate: true },
      h('h3', null, t('mediator.sessions.schedule')),
      h(
        'div',
        { class: 'field-row' },
        field('session-when', t('mediator.sessions.when'), when),
        field('session-place', t('mediator.sessions.place'), place),
      ),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', id: 'session-submit' }, t('mediator.sessions.submit')),
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const scheduledFor = fromChinaInput(when.value);
      void act(
        form,
        () =>
          scheduledFor
            ? api('mediation', `${path}/sessions`, {
                method: 'POST',
                body: { scheduledFor, place: place.value },
              })
            : Promise.reject(localProblem('scheduledFor', t('mediator.sessions.whenRequired'))),
        {
          done: (saved) => t('mediator.sessions.scheduled', { when: formatDateTime(saved.scheduledFor) }),
          focus: '#case-sessions-title',
        },
      );
    });
    return form;
  }

  function rescheduleForm(item) {
    const id = `reschedule-${item.sessionId}`;
    const when = h('input', {
      id: `${id}-when`,
      name: 'scheduledFor',
      type: 'datetime-local',
      required: true,
      value: toChinaInput(item.scheduledFor),
    });
    const place = h('input', {
      id: `${id}-place`,
      name: 'place',
      type: 'text',
      maxlength: '200',
      value: item.place,
    });
    const form = h(
      'form',
      { class: 'inline-form', novalidate: true },
      h(
        'div',
        { class: 'field-row' },
        field(`${id}-when`, t('mediator.sessions.when'), when),
        field(`${id}-place`, t('mediator.sessions.place'), place),
      ),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit' }, t('mediator.sessions.rescheduleSubmit')),
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const scheduledFor = fromChinaInput(when.value);
      void act(
        form,
        () =>
          scheduledFor
            ? api('mediation', `${path}/sessions/${encodeURIComponent(item.sessionId)}`, {
                method: 'PUT',
                body: { scheduledFor, ...(place.value.trim() ? { place: place.value } : {}) },
              })
            : Promise.reject(localProblem('scheduledFor', t('mediator.sessions.whenRequired'))),
        {
          done: (saved) => t('mediator.sessions.rescheduled', { when: formatDateTime(saved.scheduledFor) }),
          focus: '#case-sessions-title',
        },
      );
    });
    return form;
  }

  function cancelForm(item) {
    const form = h(
      'form',
      { class: 'inline-form' },
      h('p', null, t('mediator.sessions.confirmCancel')),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger' }, t('common.confirm'))),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void act(
        form,
        () =>
          api('mediation', `${path}/sessions/${encodeURIComponent(item.sessionId)}`, { method: 'DELETE' }),
        { done: () => t('mediator.sessions.cancelled'), focus: '#case-sessions-title' },
      );
    });
    return form;
  }

  function recordForm(item) {
    const id = `record-${item.sessionId}`;
    const parties = view.parties || [];
    const boxes = parties.map((party, i) =>
      h(
        'div',
        { class: 'check' },
        h('input', {
          type: 'checkbox',
          id: `${id}-${party.partyId}`,
          name: `attendance.${i}.present`,
          'data-party-id': party.partyId,
          checked: true,
        }),
        h(
          'label',
          { for: `${id}-${party.partyId}` },
          t('mediator.sessions.present', { name: `${label('partyRole', party.role)} ${party.name}` }),
        ),
      ),
    );
    const minutes = h('textarea', { id: `${id}-minutes`, name: 'minutes', rows: '4', required: true });
    const form = h(
      'form',
      { class: 'inline-form', novalidate: true },
      h('fieldset', { id: `${id}-attendance` }, h('legend', null, t('mediator.sessions.attendance')), boxes),
      field(`${id}-minutes`, t('mediator.sessions.minutes'), minutes),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('mediator.sessions.recordSubmit'))),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const attendance = [...form.querySelectorAll('input[data-party-id]')].map((box) => ({
        partyId: box.dataset.partyId,
        present: box.checked,
      }));
      void act(
        form,
        () =>
          api('mediation', `${path}/sessions/${encodeURIComponent(item.sessionId)}/record`, {
            method: 'POST',
            body: { attendance, minutes: minutes.value },
          }),
        { done: () => t('mediator.sessions.recorded'), focus: '#case-sessions-title' },
      );
    });
    return form;
  }

  // ---- outcome ----

  function outcomeSection() {
    const title = h('h2', { id: 'case-outcome-title', tabindex: '-1' }, t('mediator.outcome.title'));
    if (view.outcome) {
      const outcome = view.outcome;
      return h(
        'section',
        { id: 'case-outcome', 'data-kind': outcome.kind, 'aria-labelledby': 'case-outcome-title' },
        title,
        h(
          'dl',
          { class: 'who' },
          h('dt', null, t('mediator.outcome.kind')),
          h(
            'dd',
            null,
            label('outcome', outcome.kind),
            outcome.referredTo ? ` · ${label('referral', outcome.referredTo)}` : null,
            ' · ',
            t('mediator.outcome.at', { when: formatDateTime(outcome.at) }),
            ' · ',
            outcome.withinTimeLimit ? t('mediator.outcome.withinLimit') : t('mediator.outcome.overLimit'),
          ),
          h('dt', null, t('mediator.outcome.reason')),
          h('dd', null, outcome.reason),
          outcome.agreement
            ? [
                h('dt', null, t('mediator.outcome.agreement')),
                h('dd', null, outcome.agreement.text),
                h('dt', null, t('mediator.outcome.terms')),
                h(
                  'dd',
                  null,
                  h(
                    'ol',
                    null,
                    outcome.agreement.terms.map((term) =>
                      h('li', { 'data-term-id': term.termId }, `${term.text} (${term.dueDate})`),
                    ),
                  ),
                ),
                h('dt', null, t('mediator.outcome.followUpPlan')),
                h('dd', null, label('followUpPlan', outcome.agreement.followUpPlan)),
              ]
            : null,
        ),
      );
    }
    const held = (view.sessions || []).some((item) => item.status === 'held');
    if (view.status !== 'in-mediation' || !held) {
      return h(
        'section',
        { 'aria-labelledby': 'case-outcome-title' },
        title,
        OPEN_STATUSES.includes(view.status)
          ? h('p', { class: 'hint' }, t('mediator.outcome.needsSession'))
          : null,
      );
    }
    return h('section', { 'aria-labelledby': 'case-outcome-title' }, title, outcomeForm());
  }

  function outcomeForm() {
    const kind = select(
      { id: 'outcome-kind', name: 'kind' },
      OUTCOMES.map((code) => [code, label('outcome', code)]),
    );
    const reason = h('textarea', { id: 'outcome-reason', name: 'reason', rows: '3', required: true });
    const text = h('textarea', { id: 'outcome-agreement', name: 'agreement.text', rows: '4' });
    const plan = select(
      { id: 'outcome-plan', name: 'agreement.followUpPlan' },
      FOLLOW_UP_PLANS.map((code) => [code, label('followUpPlan', code)]),
    );
    const referredTo = select(
      { id: 'outcome-referred-to', name: 'referredTo' },
      REFERRAL_TARGETS.map((code) => [code, label('referral', code)]),
    );
    const terms = h('ol', { id: 'outcome-terms', class: 'terms' });
    const addTerm = () => {
      const n = terms.children.length;
      const row = h(
        'li',
        { class: 'field-row' },
        field(
          `term-${n}-text`,
          t('mediator.outcome.termText', { n: n + 1 }),
          h('input', {
            id: `term-${n}-text`,
            name: `agreement.terms.${n}.text`,
            type: 'text',
            maxlength: '1000',
            'data-term': 'text',
          }),
        ),
        field(
          `term-${n}-due`,
          t('mediator.outcome.termDue', { n: n + 1 }),
          h('input', {
            id: `term-${n}-due`,
            name: `agreement.terms.${n}.dueDate`,
            type: 'date',
            value: addDays(chinaDate(new Date().toISOString()), 30),
            'data-term': 'due',
          }),
        ),
      );
      terms.append(row);
      return row;
    };
    addTerm();
    const agreement = h(
      'fieldset',
      { id: 'outcome-agreement-fields' },
      h('legend', null, t('mediator.outcome.agreement')),
      field('outcome-agreement', t('mediator.outcome.agreement'), text),
      h('h4', null, t('mediator.outcome.terms')),
      terms,
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            id: 'outcome-add-term',
            onclick: () => addTerm().querySelector('input')?.focus(),
          },
          t('mediator.outcome.addTerm'),
        ),
      ),
      field('outcome-plan', t('mediator.outcome.followUpPlan'), plan),
    );
    const referral = h(
      'div',
      { id: 'outcome-referral' },
      field('outcome-referred-to', t('mediator.outcome.referredTo'), referredTo),
    );
    const showKind = () => {
      agreement.hidden = kind.value !== 'agreement';
      referral.hidden = kind.value !== 'referred';
    };
    kind.addEventListener('change', showKind);
    showKind();
    const form = h(
      'form',
      { id: 'outcome-form', class: 'card', novalidate: true },
      h('h3', null, t('mediator.outcome.legend')),
      field('outcome-kind', t('mediator.outcome.kind'), kind),
      field('outcome-reason', t('mediator.outcome.reason'), reason),
      agreement,
      referral,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', id: 'outcome-submit' }, t('mediator.outcome.submit')),
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const body = { kind: kind.value, reason: reason.value };
      if (kind.value === 'agreement') {
        body.agreement = {
          text: text.value,
          terms: [...terms.children]
            .map((row) => ({
              text: row.querySelector('[data-term=text]').value,
              dueDate: row.querySelector('[data-term=due]').value,
            }))
            .filter((term, i) => i === 0 || term.text.trim() !== ''),
          followUpPlan: plan.value,
        };
      }
      if (kind.value === 'referred') body.referredTo = referredTo.value;
      void act(form, () => api('mediation', `${path}/outcome`, { method: 'POST', body }), {
        done: (saved) =>
          t('mediator.outcome.recorded', { kind: label('outcome', saved.outcome?.kind || kind.value) }),
        focus: '#case-outcome-title',
      });
    });
    return form;
  }

  // ---- follow-ups ----

  function followUpsSection(mayRecord) {
    const followUps = view.followUps || [];
    if (followUps.length === 0 && !view.outcome?.agreement) return null;
    return h(
      'section',
      { 'aria-labelledby': 'case-follow-ups-title' },
      h('h2', { id: 'case-follow-ups-title', tabindex: '-1' }, t('mediator.followUps.title')),
      followUps.length === 0
        ? h('p', { class: 'empty' }, t('mediator.followUps.empty'))
        : h(
            'ol',
            { id: 'case-follow-ups', class: 'session-list' },
            followUps.map((item) => followUpItem(item, mayRecord)),
          ),
    );
  }

  function followUpItem(item, mayRecord) {
    const slot = h('div', { class: 'session-form-slot' });
    const recordable = mayRecord && RECORDABLE_FOLLOW_UPS.includes(item.status) && !item.result;
    return h(
      'li',
      { 'data-follow-up-id': item.followUpId, 'data-status': item.status },
      h(
        'p',
        null,
        h('strong', null, item.followUpId),
        ' · ',
        t('mediator.followUps.due', { when: formatDateTime(item.dueAt) }),
        ' · ',
        label('followUpStatus', item.status),
        ' · ',
        (item.termIds || []).join(', '),
      ),
      item.result
        ? h(
            'p',
            null,
            item.result.terms.map((term) => `${term.termId} ${term.kept ? '✓' : '✗'}`).join(' '),
            item.result.decision ? ` · ${item.result.decision}` : null,
            item.result.note ? ` · ${item.result.note}` : null,
          )
        : null,
      recordable
        ? h(
            'div',
            { class: 'actions' },
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                'data-action': 'record-follow-up',
                onclick: () => {
                  if (slot.firstChild) {
                    clear(slot);
                    return;
                  }
                  const form = followUpForm(item);
                  slot.append(form);
                  form.querySelector('input')?.focus();
                },
              },
              t('mediator.followUps.record'),
            ),
          )
        : null,
      slot,
    );
  }

  function followUpForm(item) {
    const id = `follow-up-${item.followUpId}`;
    const rows = (item.termIds || []).map((termId, i) =>
      h(
        'div',
        { class: 'field-row', 'data-term-id': termId },
        h(
          'div',
          { class: 'check' },
          h('input', {
            type: 'checkbox',
            id: `${id}-${termId}-kept`,
            name: `terms.${i}.kept`,
            checked: true,
          }),
          h('label', { for: `${id}-${termId}-kept` }, t('mediator.followUps.kept', { id: termId })),
        ),
        field(
          `${id}-${termId}-note`,
          t('mediator.followUps.termNote', { id: termId }),
          h('input', {
            type: 'text',
            id: `${id}-${termId}-note`,
            name: `terms.${i}.note`,
            maxlength: '1000',
          }),
        ),
      ),
    );
    const note = h('textarea', { id: `${id}-note`, name: 'note', rows: '2' });
    const ifNotKept = select(
      { id: `${id}-if-not-kept`, name: 'ifNotKept' },
      ['reopen', 'refer'].map((code) => [code, label('ifNotKept', code)]),
      '—',
    );
    const referredTo = select(
      { id: `${id}-referred-to`, name: 'referredTo' },
      REFERRAL_TARGETS.map((code) => [code, label('referral', code)]),
      '—',
    );
    const form = h(
      'form',
      { class: 'inline-form', novalidate: true, 'data-follow-up-form': item.followUpId },
      h('fieldset', null, h('legend', null, t('mediator.followUps.legend', { id: item.followUpId })), rows),
      field(`${id}-note`, t('mediator.followUps.note'), note),
      h(
        'div',
        { class: 'field-row' },
        field(`${id}-if-not-kept`, t('mediator.followUps.ifNotKept'), ifNotKept),
        field(`${id}-referred-to`, t('mediator.followUps.referredTo'), referredTo),
      ),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('mediator.followUps.submit'))),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const terms = rows.map((row) => {
        const termNote = row.querySelector('input[type=text]').value.trim();
        return {
          termId: row.dataset.termId,
          kept: row.querySelector('input[type=checkbox]').checked,
          ...(termNote ? { note: termNote } : {}),
        };
      });
      const body = {
        terms,
        ...(note.value.trim() ? { note: note.value } : {}),
        ...(ifNotKept.value ? { ifNotKept: ifNotKept.value } : {}),
        ...(referredTo.value ? { referredTo: referredTo.value } : {}),
      };
      void act(
        form,
        () =>
          api('mediation', `${path}/follow-ups/${encodeURIComponent(item.followUpId)}`, {
            method: 'POST',
            body,
          }),
        { done: () => t('mediator.followUps.recorded'), focus: '#case-follow-ups-title' },
      );
    });
    return form;
  }

  // ---- timeline ----

  function timelineSection() {
    return h(
      'section',
      { 'aria-labelledby': 'case-timeline-title' },
      h('h2', { id: 'case-timeline-title' }, t('mediator.case.timeline')),
      h(
        'ol',
        { id: 'case-timeline', class: 'timeline' },
        (view.timeline || []).map((entry) =>
          h(
            'li',
            null,
            h('time', { datetime: entry.at }, formatDateTime(entry.at)),
            ' ',
            entry.what,
            entry.note ? ` · ${entry.note}` : null,
          ),
        ),
      ),
    );
  }

  // The first answer's refusal (404 outside my cases' reach…) is the router's to show as the page's.
  view = await api('mediation', path);
  render();
  const stopLive = refreshOnCaseNotices(
    () => load(),
    (notice) => notice.subject === caseId,
  );
  return () => {
    alive = false;
    stopLive();
  };
}

/** A problem found before sending, shown like the API's (ApiError's shape). */
function localProblem(field, message) {
  return { status: 400, problem: { detail: message }, fieldErrors: [{ field, message }] };
}
