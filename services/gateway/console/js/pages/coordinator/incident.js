// An incident's page: its details and history, the commands its status allows (activate, update, the all-clear
// with a confirmation, close), its alerts (each to its acknowledgement board, updated or cancelled here) and the
// composer of a new alert. Live: a notice about the incident, its alerts or their broadcasts refetches the details
// and the alert list, never the forms being typed in.
import { api, ApiError, creationIntent } from '../../core/api.js';
import { announce, clear, debounce, formatDateTime, h, problemText, showProblem } from '../../core/dom.js';
import { divisionPicker } from '../../core/combobox.js';
import { t } from '../../core/i18n.js';
import { onLive } from '../../core/live.js';
import { navigate } from '../../core/router.js';
import { dataTable } from '../../core/table.js';
import { alertComposer } from './compose.js';
import {
  areaLabel,
  CLOSE_REASONS,
  concernsIncident,
  divisionName,
  incidentAllows,
  SEVERITIES,
} from './codes.js';
import { fieldProblem, selectField, shortcutsNote } from './ui.js';

export async function renderIncident(main, params, _query, user) {
  const incidentId = params.id;
  const path = `/incidents/${encodeURIComponent(incidentId)}`;
  let incident = await api('emergency', path);
  let alerts = [];

  const statusBox = h('p', { id: 'incident-status', tabindex: '-1' });
  const details = h('dl', { class: 'who', id: 'incident-details' });
  const commands = h('div', { class: 'actions', id: 'incident-commands' });
  const confirmation = h('div', {
    id: 'all-clear-confirmation',
    class: 'confirm',
    hidden: true,
    role: 'group',
  });
  const closePanel = h('div', { id: 'close-panel', hidden: true });
  const historyList = h('ol', { class: 'timeline', id: 'incident-history' });
  const alertsBox = h('div', { id: 'incident-alerts' });
  const cancelPanel = h('div', { id: 'alert-cancel-panel', hidden: true });

  const composer = alertComposer({
    incident,
    onIssued: (alert) => navigate(`/alerts/${encodeURIComponent(alert.alertId)}`),
    onUpdated: () => void reload(),
  });
  const updateForm = incidentUpdateForm(
    user,
    () => incident,
    (next) => show(next),
  );

  function show(next) {
    incident = next;
    statusBox.setAttribute('data-status', incident.status);
    statusBox.replaceChildren(
      `${t('coordinator.incidents.status')}: `,
      h(
        'span',
        { class: `badge state-${incident.status}` },
        t(`coordinator.codes.status.${incident.status}`),
      ),
    );
    details.replaceChildren(
      h('dt', null, t('coordinator.incidents.eventTitle')),
      h('dd', { id: 'incident-title-text' }, incident.title),
      h('dt', null, t('coordinator.incidents.kind')),
      h('dd', null, t(`coordinator.codes.kind.${incident.kind}`)),
      h('dt', null, t('coordinator.incidents.severity')),
      h('dd', { id: 'incident-severity-text' }, t(`coordinator.codes.severity.${incident.severity}`)),
      h('dt', null, t('coordinator.incidents.areas')),
      h(
        'dd',
        { id: 'incident-areas-text' },
        incident.areas.map((code) => areaLabel(h('span', { class: 'area' }), code)),
      ),
      h('dt', null, t('coordinator.declare.description')),
      h('dd', null, incident.description),
      h('dt', null, t('coordinator.incidents.declaredAt')),
      h('dd', null, formatDateTime(incident.declaredAt)),
      h('dt', null, t('coordinator.incident.declaredBy')),
      h('dd', null, incident.declaredBy),
      h('dt', null, t('coordinator.incident.source')),
      h('dd', null, t(`coordinator.codes.source.${incident.source}`)),
      // replaceChildren would write a null as the text "null": the close reason's pair only when there is one.
      ...(incident.closeReason
        ? [
            h('dt', null, t('coordinator.incident.closeReason')),
            h('dd', null, t(`coordinator.codes.closeReason.${incident.closeReason}`)),
          ]
        : []),
    );
    renderCommands();
    historyList.replaceChildren(...(incident.history || []).map(historyItem));
    composer.setIncident(incident);
    composer.element.hidden = !incidentAllows(incident.status, 'alert');
    updateForm.element.hidden = !incidentAllows(incident.status, 'update');
  }

  function renderCommands() {
    clear(commands);
    if (incidentAllows(incident.status, 'activate'))
      commands.append(
        h(
          'button',
          {
            type: 'button',
            id: 'activate',
            onclick: () => void move('activate', 'coordinator.incident.activated'),
          },
          t('coordinator.incident.activate'),
        ),
      );
    if (incidentAllows(incident.status, 'all-clear'))
      commands.append(
        h(
          'button',
          { type: 'button', id: 'all-clear', class: 'danger', onclick: askAllClear },
          t('coordinator.incident.allClear'),
        ),
      );
    else confirmation.hidden = true;
    if (incidentAllows(incident.status, 'close'))
      commands.append(
        h(
          'button',
          { type: 'button', id: 'close-incident', class: 'secondary', onclick: askClose },
          t('coordinator.incident.close'),
        ),
      );
    else closePanel.hidden = true;
  }

  async function move(action, doneKey, body) {
    try {
      show(await api('emergency', `${path}/${action}`, { method: 'POST', body }));
      announce(t(doneKey));
      return true;
    } catch (error) {
      announce(problemText(error), { error: true });
      if (error instanceof ApiError && error.status === 409) void reload();
      return false;
    }
  }

  /** The all-clear asks once more (it ends the welfare sweep of the area): confirm or cancel, focus on confirm. */
  function askAllClear() {
    const confirm = h(
      'button',
      {
        type: 'button',
        id: 'all-clear-confirm',
        class: 'danger',
        onclick: async (event) => {
          event.currentTarget.disabled = true;
          const done = await move('all-clear', 'coordinator.incident.allCleared');
          confirmation.hidden = true;
          if (done) statusBox.focus();
        },
      },
      t('coordinator.incident.allClearConfirm'),
    );
    confirmation.replaceChildren(
      h('p', { id: 'all-clear-question' }, t('coordinator.incident.allClearConfirmText')),
      h(
        'div',
        { class: 'actions' },
        confirm,
        h(
          'button',
          {
            type: 'button',
            id: 'all-clear-cancel',
            class: 'secondary',
            onclick: () => {
              confirmation.hidden = true;
              document.getElementById('all-clear')?.focus();
            },
          },
          t('coordinator.incident.allClearCancel'),
        ),
      ),
    );
    confirmation.setAttribute('aria-labelledby', 'all-clear-question');
    confirmation.hidden = false;
    confirm.focus();
  }

  function askClose() {
    const reason = selectField({
      id: 'close-reason',
      name: 'reason',
      label: t('coordinator.incident.closeReason'),
      codes: CLOSE_REASONS,
      labelOf: (code) => t(`coordinator.codes.closeReason.${code}`),
      selected: incident.status === 'all-clear' ? 'all-clear' : 'false-alarm',
    });
    const form = h(
      'form',
      {
        id: 'close-form',
        onsubmit: async (event) => {
          event.preventDefault();
          if (await move('close', 'coordinator.incident.closed', { reason: reason.select.value }))
            closePanel.hidden = true;
        },
      },
      reason.element,
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          { type: 'submit', id: 'close-submit', class: 'danger' },
          t('coordinator.incident.closeSubmit'),
        ),
        h(
          'button',
          { type: 'button', class: 'secondary', onclick: () => (closePanel.hidden = true) },
          t('common.cancel'),
        ),
      ),
    );
    closePanel.replaceChildren(form);
    closePanel.hidden = false;
    reason.select.focus();
  }

  function renderAlerts() {
    clear(alertsBox).append(
      dataTable({
        caption: t('coordinator.incident.alertsCaption'),
        empty: t('coordinator.incident.noAlerts'),
        rows: alerts,
        rowAttributes: (row) => ({ 'data-alert-id': row.alertId, 'data-status': row.status }),
        columns: [
          {
            key: 'alertId',
            label: t('coordinator.incidents.id'),
            format: (value) =>
              h('a', { href: `#/alerts/${encodeURIComponent(value)}`, 'data-board-link': value }, value),
            exportValue: (value) => value,
          },
          { key: 'headline', label: t('coordinator.alert.headline') },
          {
            key: 'status',
            label: t('coordinator.alert.status'),
            format: (v) => h('span', { class: `badge state-${v}` }, t(`coordinator.codes.alertStatus.${v}`)),
          },
          {
            key: 'messages',
            label: t('coordinator.alert.messages'),
            format: (list) => String((list || []).length),
          },
          { key: 'createdAt', label: t('coordinator.alert.at'), format: (v) => formatDateTime(v) },
          {
            key: 'alertId',
            label: t('coordinator.incident.actions'),
            format: (_value, row) => alertActions(row),
          },
        ],
      }),
      cancelPanel,
    );
  }

  function alertActions(alert) {
    const open = h(
      'a',
      { href: `#/alerts/${encodeURIComponent(alert.alertId)}` },
      t('coordinator.incident.openBoard'),
    );
    if (alert.status !== 'active' || !incidentAllows(incident.status, 'alert')) return h('span', null, open);
    return h(
      'span',
      { class: 'row-actions' },
      open,
      ' ',
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          'data-action': 'update-alert',
          onclick: () => {
            composer.edit(alert);
            composer.element.scrollIntoView({ block: 'start' });
          },
        },
        t('coordinator.compose.updateAlert'),
      ),
      ' ',
      h(
        'button',
        { type: 'button', class: 'danger', 'data-action': 'cancel-alert', onclick: () => askCancel(alert) },
        t('coordinator.compose.cancelAlert'),
      ),
    );
  }

  function askCancel(alert) {
    const intent = creationIntent();
    const reason = h('input', { id: 'alert-cancel-reason', name: 'reason', type: 'text', maxlength: '500' });
    const form = h(
      'form',
      {
        id: 'alert-cancel-form',
        onsubmit: async (event) => {
          event.preventDefault();
          try {
            await api('emergency', `/alerts/${encodeURIComponent(alert.alertId)}/cancel`, {
              method: 'POST',
              body: reason.value.trim() ? { reason: reason.value.trim() } : {},
              idempotencyKey: intent.key(),
            });
            intent.settle();
            cancelPanel.hidden = true;
            announce(t('coordinator.compose.cancelled', { id: alert.alertId }));
            await reload();
          } catch (error) {
            intent.settle(error);
            showProblem(form, error);
          }
        },
      },
      h('p', null, `${alert.alertId} · ${alert.headline}`),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'alert-cancel-reason' }, t('coordinator.compose.cancelReason')),
        reason,
      ),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          { type: 'submit', class: 'danger', id: 'alert-cancel-submit' },
          t('coordinator.compose.cancelSubmit'),
        ),
        h(
          'button',
          { type: 'button', class: 'secondary', onclick: () => (cancelPanel.hidden = true) },
          t('common.cancel'),
        ),
      ),
    );
    cancelPanel.replaceChildren(form);
    cancelPanel.hidden = false;
    reason.focus();
  }

  async function loadAlerts() {
    alerts = (await api('emergency', `${path}/alerts`)).items || [];
    renderAlerts();
  }

  async function reload() {
    try {
      const [next] = await Promise.all([api('emergency', path), loadAlerts()]);
      show(next);
    } catch (error) {
      announce(problemText(error), { error: true });
    }
  }

  main.append(
    h('p', null, h('a', { href: '#/incidents' }, t('coordinator.incident.back'))),
    h(
      'h1',
      null,
      t('coordinator.incident.title', { id: incidentId }),
      ' ',
      h('span', { class: 'subtitle' }, incident.title),
    ),
    shortcutsNote([t('coordinator.shortcuts.incidents'), t('coordinator.shortcuts.compose')]),
    statusBox,
    commands,
    confirmation,
    closePanel,
    h(
      'section',
      { 'aria-labelledby': 'incident-details-title' },
      h('h2', { id: 'incident-details-title' }, t('coordinator.incident.details')),
      details,
    ),
    h(
      'section',
      { 'aria-labelledby': 'incident-alerts-title' },
      h('h2', { id: 'incident-alerts-title' }, t('coordinator.incident.alerts')),
      alertsBox,
    ),
    composer.element,
    updateForm.element,
    h(
      'section',
      { 'aria-labelledby': 'incident-history-title' },
      h('h2', { id: 'incident-history-title' }, t('coordinator.incident.history')),
      historyList,
    ),
  );
  show(incident);
  await loadAlerts();

  const refetch = debounce(() => void reload(), 400);
  const stopLive = onLive((notice) => {
    if (notice.type === 'reconnected' || concernsIncident(notice, incidentId)) refetch();
  });
  // Alt+J: to the alert composer's headline.
  const onKey = (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.code !== 'KeyJ') return;
    event.preventDefault();
    document.getElementById('alert-headline')?.focus();
  };
  document.addEventListener('keydown', onKey);
  return () => {
    stopLive();
    refetch.cancel();
    document.removeEventListener('keydown', onKey);
  };
}

function historyItem(entry) {
  const parts = [t(`coordinator.history.${entry.change}`)];
  if (entry.severity && entry.change === 'updated')
    parts.push(
      t('coordinator.history.severity', { severity: t(`coordinator.codes.severity.${entry.severity}`) }),
    );
  if (entry.addedAreas && entry.addedAreas.length)
    parts.push(t('coordinator.history.added', { areas: entry.addedAreas.join(' ') }));
  if (entry.removedAreas && entry.removedAreas.length)
    parts.push(t('coordinator.history.removed', { areas: entry.removedAreas.join(' ') }));
  if (entry.description) parts.push(t('coordinator.history.description'));
  if (entry.reason)
    parts.push(
      t('coordinator.history.reason', { reason: t(`coordinator.codes.closeReason.${entry.reason}`) }),
    );
  return h(
    'li',
    { 'data-change': entry.change },
    h('time', { datetime: entry.at }, formatDateTime(entry.at)),
    ' ',
    parts.join('；'),
    entry.actorId ? h('span', { class: 'hint' }, ` · ${entry.actorId}`) : null,
  );
}

/** Updates of the incident: severity, description, the whole new list of areas; sent with the version read. */
function incidentUpdateForm(user, current, onSaved) {
  const severity = selectField({
    id: 'incident-update-severity',
    name: 'severity',
    label: t('coordinator.incidents.severity'),
    codes: SEVERITIES,
    labelOf: (code) => t(`coordinator.codes.severity.${code}`),
    selected: current().severity,
  });
  const description = h('textarea', { id: 'incident-update-description', name: 'description', rows: '3' });
  const picker = divisionPicker({
    id: 'incident-update-areas',
    name: 'areas',
    label: t('coordinator.incidents.areas'),
    under: user && user.jurisdiction,
    multiple: true,
    hint: t('coordinator.declare.areasHint'),
  });
  const form = h(
    'form',
    { id: 'incident-update-form', novalidate: true },
    severity.element,
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'incident-update-description' }, t('coordinator.declare.description')),
      description,
    ),
    picker.element,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', id: 'incident-update-submit' }, t('coordinator.incident.updateSubmit')),
    ),
  );
  const details = h(
    'details',
    { id: 'incident-update' },
    h('summary', null, t('coordinator.incident.update')),
    form,
  );

  async function prefill() {
    const incident = current();
    severity.select.value = incident.severity;
    description.value = incident.description;
    picker.set(incident.areas.map((code) => ({ code, name: code })));
    const named = await Promise.all(
      incident.areas.map(async (code) => ({ code, name: (await divisionName(code)).name })),
    );
    picker.set(named);
  }
  details.addEventListener('toggle', () => {
    if (details.open) void prefill();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const incident = current();
    const body = { version: incident.version };
    if (severity.select.value !== incident.severity) body.severity = severity.select.value;
    const text = description.value.trim();
    if (!text) {
      showProblem(form, { fieldErrors: [fieldProblem('description', t('coordinator.declare.required'))] });
      return;
    }
    if (text !== incident.description) body.description = text;
    const areas = picker.value;
    if (areas.length === 0) {
      showProblem(form, { fieldErrors: [fieldProblem('areas', t('coordinator.declare.areasRequired'))] });
      return;
    }
    if ([...areas].sort().join(' ') !== [...incident.areas].sort().join(' ')) body.areas = areas;
    if (Object.keys(body).length === 1) {
      announce(t('coordinator.incident.nothingChanged'));
      return;
    }
    try {
      const saved = await api('emergency', `/incidents/${encodeURIComponent(incident.incidentId)}/updates`, {
        method: 'POST',
        body,
      });
      onSaved(saved);
      details.open = false;
      announce(t('coordinator.incident.updated'));
    } catch (error) {
      showProblem(form, error);
      announce(problemText(error), { error: true });
      if (error instanceof ApiError && error.status === 409) {
        onSaved(await api('emergency', `/incidents/${encodeURIComponent(incident.incidentId)}`));
        announce(t('coordinator.incident.changed'), { error: true });
      }
    }
  });
  return { element: h('section', { class: 'incident-update' }, details) };
}
