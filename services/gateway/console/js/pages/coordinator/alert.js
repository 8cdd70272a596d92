// An alert's live board: who it reached and who answered (#ack-board, counts in #ack-summary), and the welfare
// checks of the vulnerable residents of its incident's area (#welfare-board). Both fill by themselves: a live notice
// about the alert (an answer, a chase), its broadcasts (`<alertId>:<sequence>`: recipients resolved) or the
// incident's welfare checks (`<incidentId>-W-…`, their jobs) refetches them, debounced. Staff record here an answer
// taken by phone or in person, and a welfare check's result.
import { api } from '../../core/api.js';
import {
  announce,
  clear,
  debounce,
  formatDateTime,
  formatTime,
  h,
  problemText,
  showProblem,
} from '../../core/dom.js';
import { t } from '../../core/i18n.js';
import { onLive } from '../../core/live.js';
import { dataTable } from '../../core/table.js';
import {
  ACK_RESPONSES,
  areaLabel,
  ON_BEHALF_CHANNELS,
  RECIPIENT_STATUSES,
  WELFARE_RESULTS,
} from './codes.js';
import { fieldProblem, selectField, shortcutsNote } from './ui.js';

const PAGE_SIZE = 100;
/** Emergency records a broadcast's recipients from the same events the notices come from: look again a little later. */
const SETTLE_MS = 1500;
/** While a broadcast is still being resolved, the board looks again at this pace (its notices may come first). */
const DELIVERING_POLL_MS = 2000;

export async function renderAlert(main, params) {
  const alertId = params.id;
  const alertPath = `/alerts/${encodeURIComponent(alertId)}`;
  let alert = await api('emergency', alertPath);
  const incidentId = alert.incidentId;
  const welfarePath = `/incidents/${encodeURIComponent(incidentId)}/welfare-checks`;
  let page = 1;
  let lastAcknowledged = null;
  let recipients = [];
  let checks = [];
  let disposed = false;
  let generation = 0;
  let deliveringTimer = null;

  const info = h('dl', { class: 'who', id: 'alert-info' });
  const summary = h('div', { id: 'ack-summary', 'data-acknowledged': '', 'data-total': '' });
  const delivering = h('p', { class: 'hint', id: 'ack-delivering', hidden: true });
  const filter = selectField({
    id: 'ack-filter',
    name: 'status',
    label: t('coordinator.alert.filter'),
    codes: RECIPIENT_STATUSES,
    labelOf: (code) => t(`coordinator.codes.recipientStatus.${code}`),
    empty: t('coordinator.alert.filterAny'),
    selected: '',
  });
  filter.select.addEventListener('change', () => {
    page = 1;
    void loadBoard();
  });
  const board = h('div', { id: 'ack-board' });
  const pager = h('nav', { class: 'pager', 'aria-label': t('coordinator.alert.board') });
  const welfareSummary = h('p', { id: 'welfare-summary' });
  const welfareBoard = h('div', { id: 'welfare-board' });
  const recordForm = answerForm();
  const welfareForm = resultForm();

  function showAlert() {
    info.replaceChildren(
      h('dt', null, t('coordinator.alert.headline')),
      h('dd', { id: 'alert-headline-text' }, alert.headline),
      h('dt', null, t('coordinator.alert.status')),
      h(
        'dd',
        { id: 'alert-status', 'data-status': alert.status },
        t(`coordinator.codes.alertStatus.${alert.status}`),
      ),
      h('dt', null, t('coordinator.incidents.areas')),
      h(
        'dd',
        null,
        (alert.areas || []).map((code) => areaLabel(h('span', { class: 'area' }), code)),
      ),
      h('dt', null, t('coordinator.alert.messages')),
      h(
        'dd',
        null,
        h(
          'ol',
          { id: 'alert-messages' },
          (alert.messages || []).map((message) =>
            h(
              'li',
              { 'data-sequence': message.sequence, 'data-type': message.messageType },
              `${t(`coordinator.codes.messageType.${message.messageType}`)} · ${formatDateTime(message.sentAt)}`,
              message.acknowledgeBy ? ` → ${formatTime(message.acknowledgeBy)}` : '',
              message.reason ? ` · ${message.reason}` : '',
            ),
          ),
        ),
      ),
    );
  }

  function showSummary(counts) {
    summary.setAttribute('data-acknowledged', String(counts.acknowledged));
    summary.setAttribute('data-total', String(counts.recipients));
    summary.setAttribute('data-needs-help', String(counts.needsHelp));
    summary.setAttribute('data-silent', String(counts.silent));
    summary.replaceChildren(
      h(
        'p',
        { class: 'ack-total' },
        t('coordinator.alert.summary', { acknowledged: counts.acknowledged, total: counts.recipients }),
      ),
      h('p', { class: 'ack-counts' }, t('coordinator.alert.counts', counts)),
    );
    const inFlight = (counts.bySequence || []).filter((s) => !s.completed);
    delivering.hidden = inFlight.length === 0;
    delivering.textContent = inFlight
      .map((s) => t('coordinator.alert.delivering', { sequence: s.sequence, count: counts.recipients }))
      .join(' ');
    if (lastAcknowledged !== null && counts.acknowledged !== lastAcknowledged) {
      announce(
        t('coordinator.alert.refreshed', { acknowledged: counts.acknowledged, total: counts.recipients }),
      );
    }
    lastAcknowledged = counts.acknowledged;
    // Recipients still being resolved (or recorded behind the notices): look again shortly, until it is complete.
    const behind = (counts.bySequence || []).some(
      (s) => !s.completed || (typeof s.recipientCount === 'number' && s.recipientCount > counts.recipients),
    );
    clearTimeout(deliveringTimer);
    if (behind && !disposed) deliveringTimer = setTimeout(() => refetchBoard(), DELIVERING_POLL_MS);
  }

  function showRecipients(answer) {
    recipients = answer.items || [];
    clear(board).append(
      dataTable({
        caption: t('coordinator.alert.boardCaption'),
        exportName: `alert-${alertId}-recipients`,
        empty: t('coordinator.alert.noRecipients'),
        rows: recipients,
        rowAttributes: (row) => ({
          'data-recipient-id': row.recipientId,
          'data-state': row.status,
          class: `state-${row.status}`,
        }),
        columns: [
          { key: 'recipientId', label: t('coordinator.alert.recipient') },
          {
            key: 'kind',
            label: t('coordinator.alert.kind'),
            format: (v) => (v ? t(`coordinator.codes.contactKind.${v}`) : ''),
          },
          {
            key: 'channel',
            label: t('coordinator.alert.channel'),
            format: (v, row) =>
              [v, row.resentAt ? row.secondChannel : null]
                .filter(Boolean)
                .map((c) => t(`coordinator.codes.deliveryChannel.${c}`))
                .join(' → '),
          },
          {
            key: 'status',
            label: t('coordinator.alert.state'),
            format: (v) =>
              h('span', { class: `badge state-${v}` }, t(`coordinator.codes.recipientStatus.${v}`)),
            exportValue: (v) => t(`coordinator.codes.recipientStatus.${v}`),
          },
          {
            key: 'response',
            label: t('coordinator.alert.response'),
            format: (v) => (v ? t(`coordinator.codes.ackResponse.${v}`) : ''),
          },
          {
            key: 'acknowledgedVia',
            label: t('coordinator.alert.via'),
            format: (v) => (v ? t(`coordinator.codes.ackChannel.${v}`) : ''),
          },
          { key: 'acknowledgedAt', label: t('coordinator.alert.at'), format: (v) => formatTime(v) },
        ],
      }),
    );
    const pages = Math.max(1, Math.ceil((answer.total || 0) / PAGE_SIZE));
    clear(pager);
    if (pages > 1) {
      pager.append(
        h(
          'button',
          { type: 'button', class: 'secondary', disabled: page <= 1, onclick: () => turn(-1) },
          t('coordinator.alert.previous'),
        ),
        h('span', null, ` ${t('coordinator.alert.page', { page, pages })} `),
        h(
          'button',
          { type: 'button', class: 'secondary', disabled: page >= pages, onclick: () => turn(1) },
          t('coordinator.alert.next'),
        ),
      );
    }
    recordForm.setRecipients(recipients.filter((row) => row.status === 'pending' || row.status === 'silent'));
  }

  function turn(step) {
    page += step;
    void loadBoard();
  }

  function showWelfare(answer) {
    checks = answer.items || [];
    const counts = answer.counts || { pending: 0, checkedSafe: 0, needsHelp: 0, unreachable: 0 };
    welfareSummary.setAttribute('data-pending', String(counts.pending));
    welfareSummary.setAttribute('data-total', String(answer.total || 0));
    welfareSummary.textContent = t('coordinator.alert.welfareCounts', counts);
    clear(welfareBoard).append(
      dataTable({
        caption: t('coordinator.alert.welfareCaption'),
        exportName: `incident-${incidentId}-welfare`,
        empty: t('coordinator.alert.noWelfare'),
        rows: checks,
        rowAttributes: (row) => ({
          'data-check-id': row.checkId,
          'data-state': row.status,
          class: `state-${row.status}`,
        }),
        columns: [
          { key: 'elderId', label: t('coordinator.alert.elder') },
          {
            key: 'community',
            label: t('coordinator.alert.community'),
            format: (code) => areaLabel(h('span'), code),
            exportValue: (code) => code,
          },
          {
            key: 'status',
            label: t('coordinator.alert.state'),
            format: (v) =>
              h('span', { class: `badge state-${v}` }, t(`coordinator.codes.welfareStatus.${v}`)),
            exportValue: (v) => t(`coordinator.codes.welfareStatus.${v}`),
          },
          {
            key: 'jobStatus',
            label: t('coordinator.alert.job'),
            format: (v) => t(`coordinator.codes.jobStatus.${v}`),
          },
          { key: 'providerId', label: t('coordinator.alert.provider') },
          { key: 'note', label: t('coordinator.alert.note') },
          { key: 'at', label: t('coordinator.alert.at'), format: (v) => formatTime(v) },
        ],
      }),
    );
    welfareForm.setChecks(
      checks.filter((check) => check.status === 'pending' || check.status === 'unreachable'),
    );
  }

  /** The counts and the current page of rows, together; an older answer arriving late is dropped. */
  async function loadBoard() {
    const mine = ++generation;
    try {
      const [counts, rows] = await Promise.all([
        api('emergency', `${alertPath}/board`),
        api('emergency', `${alertPath}/recipients`, {
          query: { status: filter.select.value, page, pageSize: PAGE_SIZE },
        }),
      ]);
      if (disposed || mine !== generation) return;
      showSummary(counts);
      showRecipients(rows);
    } catch (error) {
      if (!disposed) announce(problemText(error), { error: true });
    }
  }

  async function loadWelfare() {
    try {
      const answer = await api('emergency', welfarePath, { query: { page: 1, pageSize: PAGE_SIZE } });
      if (!disposed) showWelfare(answer);
    } catch (error) {
      if (!disposed) announce(problemText(error), { error: true });
    }
  }

  async function loadAlert() {
    try {
      alert = await api('emergency', alertPath);
      if (!disposed) showAlert();
    } catch {
      // the board stays as it is; the next notice tries again
    }
  }

  let settleTimer = null;
  const refetchBoard = debounce(() => void loadBoard(), 300);
  const refetchWelfare = debounce(() => void loadWelfare(), 300);
  const refetchAlert = debounce(() => void loadAlert(), 300);

  /** Answer form: a recipient who called in or was met in person, their answer and how it was taken. */
  function answerForm() {
    const recipient = h('select', { id: 'answer-recipient', name: 'recipientId' });
    const response = selectField({
      id: 'answer-response',
      name: 'response',
      label: t('coordinator.alert.recordResponse'),
      codes: ACK_RESPONSES,
      labelOf: (code) => t(`coordinator.codes.ackResponse.${code}`),
      selected: 'safe',
    });
    const channel = selectField({
      id: 'answer-channel',
      name: 'channel',
      label: t('coordinator.alert.recordChannel'),
      codes: ON_BEHALF_CHANNELS,
      labelOf: (code) => t(`coordinator.codes.ackChannel.${code}`),
      selected: 'phone',
    });
    const form = h(
      'form',
      { id: 'record-answer', novalidate: true, 'aria-labelledby': 'record-answer-title' },
      h('h3', { id: 'record-answer-title' }, t('coordinator.alert.recordTitle')),
      h(
        'div',
        { class: 'field-row' },
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'answer-recipient' }, t('coordinator.alert.recordRecipient')),
          recipient,
        ),
        response.element,
        channel.element,
      ),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', id: 'answer-submit' }, t('coordinator.alert.recordSubmit')),
      ),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!recipient.value) {
        showProblem(form, { fieldErrors: [fieldProblem('recipientId', t('coordinator.declare.required'))] });
        return;
      }
      const recipientId = recipient.value;
      try {
        await api('emergency', `${alertPath}/acknowledgements`, {
          method: 'POST',
          body: { recipientId, response: response.select.value, channel: channel.select.value },
        });
        announce(t('coordinator.alert.recorded', { id: recipientId }));
        await loadBoard();
      } catch (error) {
        showProblem(form, error);
        announce(problemText(error), { error: true });
      }
    });
    return {
      element: form,
      setRecipients(rows) {
        const chosen = recipient.value;
        recipient.replaceChildren(
          h('option', { value: '' }, t('coordinator.alert.recordChoose')),
          ...rows.map((row) =>
            h(
              'option',
              { value: row.recipientId, selected: row.recipientId === chosen },
              `${row.recipientId}${row.kind ? ` · ${t(`coordinator.codes.contactKind.${row.kind}`)}` : ''}`,
            ),
          ),
        );
      },
    };
  }

  /** Welfare result form: a check (pending or unreachable so far), what was found, a note. */
  function resultForm() {
    const check = h('select', { id: 'welfare-check', name: 'checkId' });
    const result = selectField({
      id: 'welfare-result',
      name: 'result',
      label: t('coordinator.alert.welfareResult'),
      codes: WELFARE_RESULTS,
      labelOf: (code) => t(`coordinator.codes.welfareResult.${code}`),
      selected: 'safe',
    });
    const note = h('input', { id: 'welfare-note', name: 'note', type: 'text', maxlength: '1000' });
    const form = h(
      'form',
      { id: 'welfare-result-form', novalidate: true, 'aria-labelledby': 'welfare-result-title' },
      h('h3', { id: 'welfare-result-title' }, t('coordinator.alert.welfareRecordTitle')),
      h(
        'div',
        { class: 'field-row' },
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'welfare-check' }, t('coordinator.alert.welfareCheck')),
          check,
        ),
        result.element,
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'welfare-note' }, t('coordinator.alert.welfareNote')),
          note,
        ),
      ),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', id: 'welfare-submit' }, t('coordinator.alert.welfareSubmit')),
      ),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!check.value) {
        showProblem(form, { fieldErrors: [fieldProblem('checkId', t('coordinator.declare.required'))] });
        return;
      }
      const checkId = check.value;
      try {
        await api('emergency', `/welfare-checks/${encodeURIComponent(checkId)}/result`, {
          method: 'POST',
          body: { result: result.select.value, ...(note.value.trim() ? { note: note.value.trim() } : {}) },
        });
        note.value = '';
        announce(t('coordinator.alert.welfareRecorded', { id: checkId }));
        await loadWelfare();
      } catch (error) {
        showProblem(form, error);
        announce(problemText(error), { error: true });
      }
    });
    return {
      element: form,
      setChecks(rows) {
        const chosen = check.value;
        check.replaceChildren(
          h('option', { value: '' }, t('coordinator.alert.welfareChoose')),
          ...rows.map((row) =>
            h(
              'option',
              { value: row.checkId, selected: row.checkId === chosen },
              `${row.elderId} · ${t(`coordinator.codes.welfareStatus.${row.status}`)}`,
            ),
          ),
        );
      },
    };
  }

  main.append(
    h(
      'p',
      null,
      h(
        'a',
        { href: `#/incidents/${encodeURIComponent(incidentId)}`, id: 'back-to-incident' },
        t('coordinator.alert.backToIncident', { id: incidentId }),
      ),
    ),
    h('h1', null, t('coordinator.alert.title', { id: alertId })),
    shortcutsNote([t('coordinator.shortcuts.incidents'), t('coordinator.shortcuts.board')]),
    info,
    h(
      'section',
      { 'aria-labelledby': 'ack-board-title', class: 'board' },
      h(
        'h2',
        { id: 'ack-board-title' },
        t('coordinator.alert.board'),
        ' ',
        h('span', { class: 'badge live-badge' }, t('coordinator.alert.live')),
      ),
      summary,
      delivering,
      h('div', { class: 'field-row board-filter' }, filter.element),
      board,
      pager,
      recordForm.element,
    ),
    h(
      'section',
      { 'aria-labelledby': 'welfare-board-title', class: 'board' },
      h('h2', { id: 'welfare-board-title' }, t('coordinator.alert.welfare')),
      welfareSummary,
      welfareBoard,
      welfareForm.element,
    ),
  );
  showAlert();
  await Promise.all([loadBoard(), loadWelfare()]);

  const stopLive = onLive((notice) => {
    const subject = notice.subject || '';
    if (notice.type === 'reconnected') {
      refetchBoard();
      refetchWelfare();
      refetchAlert();
      return;
    }
    if (subject === alertId || subject.startsWith(`${alertId}:`)) {
      refetchBoard();
      if (subject === alertId) refetchAlert();
      clearTimeout(settleTimer);
      settleTimer = setTimeout(() => refetchBoard(), SETTLE_MS);
    } else if (subject.startsWith(`${incidentId}-W-`) || subject === incidentId) {
      refetchWelfare();
    }
  });
  // Alt+G: back to the board's counts (after scrolling through the welfare checks).
  const onKey = (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.code !== 'KeyG') return;
    event.preventDefault();
    summary.setAttribute('tabindex', '-1');
    summary.focus();
  };
  document.addEventListener('keydown', onKey);
  return () => {
    disposed = true;
    stopLive();
    refetchBoard.cancel();
    refetchWelfare.cancel();
    refetchAlert.cancel();
    clearTimeout(settleTimer);
    clearTimeout(deliveringTimer);
    document.removeEventListener('keydown', onKey);
  };
}
