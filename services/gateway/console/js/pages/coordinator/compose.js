// The alert composer: the CAP 1.2 fields a coordinator writes (audiences, headline, description, instruction,
// urgency, severity, certainty, response, language, expiry, acknowledgement window, areas). CAP's category and event
// follow the incident's kind and its effective time is the broadcast: shown, not typed. The same form issues a new
// alert (CAP Alert) or, given an alert, sends what changed as an Update. The client checks what it can (required
// fields, lengths, an expiry in the past) and shows the API's refusals on the fields it names.
import { api, creationIntent } from '../../core/api.js';
import { announce, clearProblems, h, problemText, showProblem } from '../../core/dom.js';
import { t } from '../../core/i18n.js';
import {
  ALERT_AUDIENCES,
  ALERT_LANGUAGES,
  areaLabel,
  CAP_CATEGORY_OF_KIND,
  CERTAINTIES,
  chinaLocalToIso,
  isoToChinaLocal,
  MAX_ACKNOWLEDGE_MINUTES,
  MAX_HEADLINE,
  MAX_INSTRUCTION,
  RESPONSES,
  SEVERITIES,
  URGENCIES,
} from './codes.js';
import { fieldProblem, selectField } from './ui.js';

/**
 * `alertComposer({ incident, onIssued(alert), onUpdated(message, alertId) })` → `{ element, setIncident(incident),
 * edit(alert), reset() }`. `edit(alert)` switches to an Update of that alert, prefilled with its current fields.
 */
export function alertComposer({ incident: initial, onIssued, onUpdated }) {
  let incident = initial;
  let editing = null;

  const heading = h('h2', { id: 'alert-form-title' }, t('coordinator.compose.title'));
  const capInfo = h('dl', { class: 'cap-derived', id: 'alert-cap-derived' });
  const audienceBoxes = ALERT_AUDIENCES.map((code) =>
    h('input', {
      type: 'checkbox',
      id: `alert-audience-${code}`,
      name: 'audiences',
      value: code,
      checked: true,
    }),
  );
  const audiences = h(
    'fieldset',
    { class: 'field', id: 'alert-audiences' },
    h('legend', null, t('coordinator.compose.audiences')),
    ALERT_AUDIENCES.map((code, i) =>
      h(
        'label',
        { class: 'check', for: `alert-audience-${code}` },
        audienceBoxes[i],
        ` ${t(`coordinator.codes.audience.${code}`)}`,
      ),
    ),
  );
  const headlineCount = h('p', { class: 'hint', id: 'alert-headline-count', 'aria-live': 'polite' });
  const headline = h('input', {
    id: 'alert-headline',
    name: 'headline',
    type: 'text',
    required: true,
    maxlength: String(MAX_HEADLINE),
    'aria-describedby': 'alert-headline-count',
    oninput: () => countHeadline(),
  });
  const description = h('textarea', {
    id: 'alert-description',
    name: 'description',
    rows: '4',
    required: true,
  });
  const instruction = h('textarea', {
    id: 'alert-instruction',
    name: 'instruction',
    rows: '2',
    maxlength: String(MAX_INSTRUCTION),
  });
  const urgency = selectField({
    id: 'alert-urgency',
    name: 'urgency',
    label: t('coordinator.compose.urgency'),
    codes: URGENCIES,
    labelOf: (code) => t(`coordinator.codes.urgency.${code}`),
    selected: 'immediate',
  });
  const severity = selectField({
    id: 'alert-severity',
    name: 'severity',
    label: t('coordinator.compose.severity'),
    codes: SEVERITIES,
    labelOf: (code) => t(`coordinator.codes.severity.${code}`),
    selected: incident.severity,
  });
  const certainty = selectField({
    id: 'alert-certainty',
    name: 'certainty',
    label: t('coordinator.compose.certainty'),
    codes: CERTAINTIES,
    labelOf: (code) => t(`coordinator.codes.certainty.${code}`),
    selected: 'observed',
  });
  const response = selectField({
    id: 'alert-response',
    name: 'response',
    label: t('coordinator.compose.response'),
    codes: RESPONSES,
    labelOf: (code) => t(`coordinator.codes.response.${code}`),
    empty: t('coordinator.compose.responseNone'),
    selected: '',
  });
  const alertLanguage = selectField({
    id: 'alert-language',
    name: 'language',
    label: t('coordinator.compose.language'),
    codes: ALERT_LANGUAGES,
    labelOf: (code) => t(`coordinator.codes.language.${code}`),
    selected: 'zh-CN',
  });
  const expires = h('input', { id: 'alert-expires', name: 'expiresAt', type: 'datetime-local' });
  const ackWithin = h('input', {
    id: 'alert-ack-within',
    name: 'acknowledgeWithinMinutes',
    type: 'number',
    min: '1',
    max: String(MAX_ACKNOWLEDGE_MINUTES),
    step: '1',
    inputmode: 'numeric',
  });
  const areaBox = h('div', { class: 'area-checks' });
  const areasField = h(
    'fieldset',
    { class: 'field', id: 'alert-areas' },
    h('legend', null, t('coordinator.compose.areas')),
    areaBox,
  );
  const submit = h('button', { id: 'alert-submit', type: 'submit' }, t('coordinator.compose.submit'));
  const stopEditing = h(
    'button',
    { type: 'button', class: 'secondary', id: 'alert-edit-cancel', hidden: true, onclick: () => reset() },
    t('common.cancel'),
  );

  const form = h(
    'form',
    { id: 'alert-form', novalidate: true, 'aria-labelledby': 'alert-form-title' },
    capInfo,
    audiences,
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'alert-headline' }, t('coordinator.compose.headline', { max: MAX_HEADLINE })),
      headline,
      headlineCount,
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'alert-description' }, t('coordinator.compose.description')),
      description,
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'alert-instruction' }, t('coordinator.compose.instruction')),
      instruction,
    ),
    h('div', { class: 'field-row' }, urgency.element, severity.element, certainty.element),
    h('div', { class: 'field-row' }, response.element, alertLanguage.element),
    h(
      'div',
      { class: 'field-row' },
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'alert-expires' }, t('coordinator.compose.expires')),
        expires,
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'alert-ack-within' }, t('coordinator.compose.ackWithin')),
        ackWithin,
      ),
    ),
    areasField,
    h('div', { class: 'actions' }, submit, stopEditing),
  );
  const element = h('section', { class: 'composer', 'aria-labelledby': 'alert-form-title' }, heading, form);

  function countHeadline() {
    headlineCount.textContent = t('coordinator.compose.headlineCount', {
      n: headline.value.length,
      max: MAX_HEADLINE,
    });
  }

  function renderCapInfo() {
    const kind = incident.kind;
    capInfo.replaceChildren(
      h('dt', null, t('coordinator.compose.capCategory')),
      h(
        'dd',
        { id: 'alert-cap-category' },
        `${CAP_CATEGORY_OF_KIND[kind] || 'Other'} (${t('coordinator.compose.fromKind')})`,
      ),
      h('dt', null, t('coordinator.compose.capEvent')),
      h('dd', { id: 'alert-cap-event' }, t(`coordinator.codes.kind.${kind}`)),
      h('dt', null, t('coordinator.compose.effective')),
      h('dd', null, t('coordinator.compose.effectiveNow')),
    );
  }

  /** One checkbox per area of the incident (an alert's areas must lie within them); checked ones kept on a change. */
  function renderAreas(checked) {
    const keep =
      checked ||
      new Set(
        areaInputs()
          .filter((input) => input.checked)
          .map((input) => input.value),
      );
    const fresh = areaInputs().length === 0;
    areaBox.replaceChildren(
      ...incident.areas.map((code, i) => {
        const id = `alert-area-${i}`;
        return h(
          'label',
          { class: 'check', for: id },
          h('input', { type: 'checkbox', id, name: 'areas', value: code, checked: fresh || keep.has(code) }),
          ' ',
          areaLabel(h('span'), code),
        );
      }),
    );
  }

  function areaInputs() {
    return [...areaBox.querySelectorAll('input[name=areas]')];
  }

  function setIncident(next) {
    const areasChanged = next.areas.join(' ') !== incident.areas.join(' ');
    incident = next;
    renderCapInfo();
    if (areasChanged && !editing) renderAreas();
  }

  function fill(fields) {
    for (const box of audienceBoxes) box.checked = (fields.audiences || []).includes(box.value);
    headline.value = fields.headline || '';
    description.value = fields.description || '';
    instruction.value = fields.instruction || '';
    urgency.select.value = fields.urgency || 'immediate';
    severity.select.value = fields.severity || incident.severity;
    certainty.select.value = fields.certainty || 'observed';
    response.select.value = fields.response || '';
    alertLanguage.select.value = fields.language || 'zh-CN';
    expires.value = fields.expiresAt ? isoToChinaLocal(fields.expiresAt) : '';
    ackWithin.value = fields.acknowledgeWithinMinutes ? String(fields.acknowledgeWithinMinutes) : '';
    renderAreas(new Set(fields.areas || incident.areas));
    countHeadline();
  }

  function reset() {
    editing = null;
    form.reset();
    clearProblems(form);
    heading.textContent = t('coordinator.compose.title');
    submit.textContent = t('coordinator.compose.submit');
    stopEditing.hidden = true;
    severity.select.value = incident.severity;
    for (const box of audienceBoxes) box.checked = true;
    areaBox.replaceChildren();
    renderAreas();
    countHeadline();
  }

  function edit(alert) {
    editing = alert;
    clearProblems(form);
    heading.textContent = t('coordinator.compose.updateTitle', { id: alert.alertId });
    submit.textContent = t('coordinator.compose.submitUpdate');
    stopEditing.hidden = false;
    fill(alert);
    headline.focus();
  }

  /** What the form says, in the API's shape, with the client's own problems. */
  function read() {
    const problems = [];
    const body = {
      audiences: audienceBoxes.filter((box) => box.checked).map((box) => box.value),
      headline: headline.value.trim(),
      description: description.value.trim(),
      instruction: instruction.value.trim(),
      urgency: urgency.select.value,
      severity: severity.select.value,
      certainty: certainty.select.value,
      response: response.select.value,
      language: alertLanguage.select.value,
      areas: areaInputs()
        .filter((input) => input.checked)
        .map((input) => input.value),
    };
    if (body.audiences.length === 0)
      problems.push(fieldProblem('audiences', t('coordinator.compose.audienceRequired')));
    if (!body.headline) problems.push(fieldProblem('headline', t('coordinator.declare.required')));
    else if (body.headline.length > MAX_HEADLINE)
      problems.push(fieldProblem('headline', t('coordinator.declare.tooLong', { max: MAX_HEADLINE })));
    if (!body.description) problems.push(fieldProblem('description', t('coordinator.declare.required')));
    if (body.instruction.length > MAX_INSTRUCTION)
      problems.push(fieldProblem('instruction', t('coordinator.declare.tooLong', { max: MAX_INSTRUCTION })));
    if (body.areas.length === 0) problems.push(fieldProblem('areas', t('coordinator.compose.areasRequired')));
    if (expires.value) {
      const iso = chinaLocalToIso(expires.value);
      if (iso === 'invalid')
        problems.push(fieldProblem('expiresAt', t('coordinator.compose.expiresInvalid')));
      else if (new Date(iso).getTime() <= Date.now())
        problems.push(fieldProblem('expiresAt', t('coordinator.compose.expiresPast')));
      else body.expiresAt = iso;
    } else if (expires.validity && expires.validity.badInput) {
      problems.push(fieldProblem('expiresAt', t('coordinator.compose.expiresInvalid')));
    }
    if (ackWithin.value !== '') {
      const minutes = Number(ackWithin.value);
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_ACKNOWLEDGE_MINUTES)
        problems.push(
          fieldProblem(
            'acknowledgeWithinMinutes',
            t('coordinator.compose.ackRange', { max: MAX_ACKNOWLEDGE_MINUTES }),
          ),
        );
      else body.acknowledgeWithinMinutes = minutes;
    }
    // Optional fields left empty are not sent (the API's defaults apply); all areas = the incident's (the default).
    if (!body.instruction) delete body.instruction;
    if (!body.response) delete body.response;
    if (body.areas.length === incident.areas.length) delete body.areas;
    return { body, problems };
  }

  /** An Update sends only what differs from the alert's current fields. */
  function changesFrom(alert, body) {
    const changes = {};
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    for (const [key, value] of Object.entries(body)) {
      if (key === 'expiresAt') {
        if (!alert.expiresAt || new Date(alert.expiresAt).getTime() !== new Date(value).getTime())
          changes[key] = value;
      } else if (key === 'audiences') {
        if (!same([...value].sort(), [...(alert.audiences || [])].sort())) changes[key] = value;
      } else if (!same(value, alert[key])) changes[key] = value;
    }
    if (!body.areas && !same(incident.areas, alert.areas)) changes.areas = incident.areas;
    return changes;
  }

  const intent = creationIntent();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { body, problems } = read();
    if (problems.length) {
      showProblem(form, { fieldErrors: problems });
      announce(t('coordinator.compose.failed'), { error: true });
      return;
    }
    submit.disabled = true;
    const label = submit.textContent;
    submit.textContent = t('coordinator.compose.submitting');
    try {
      if (editing) {
        const changes = changesFrom(editing, body);
        if (Object.keys(changes).length === 0) {
          announce(t('coordinator.incident.nothingChanged'));
          return;
        }
        const alertId = editing.alertId;
        const message = await api('emergency', `/alerts/${encodeURIComponent(alertId)}/updates`, {
          method: 'POST',
          body: changes,
          idempotencyKey: intent.key(),
        });
        intent.settle();
        announce(t('coordinator.compose.updatedAlert', { id: alertId }));
        reset();
        if (onUpdated) onUpdated(message, alertId);
      } else {
        const alert = await api('emergency', `/incidents/${encodeURIComponent(incident.incidentId)}/alerts`, {
          method: 'POST',
          body,
          idempotencyKey: intent.key(),
        });
        intent.settle();
        announce(t('coordinator.compose.issued', { id: alert.alertId }));
        if (onIssued) onIssued(alert);
      }
    } catch (error) {
      intent.settle(error);
      showProblem(form, error);
      announce(problemText(error), { error: true });
    } finally {
      submit.disabled = false;
      if (submit.textContent === t('coordinator.compose.submitting')) submit.textContent = label;
    }
  });

  renderCapInfo();
  renderAreas();
  countHeadline();
  return { element, form, setIncident, edit, reset };
}
