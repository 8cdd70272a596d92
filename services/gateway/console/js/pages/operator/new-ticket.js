// The operator's main screen: a ticket taken down while the caller is still on the line. The order of the fields
// is the order of the call (what happened, who calls, where), categories are suggested from the description as it
// is typed, the phone's open tickets are shown before a second ticket is made for the same thing, and the keyboard
// alone goes from the first field to the ticket's page (Enter moves on, Ctrl+Enter or Enter in the last field
// submits, Alt+1..3 picks a suggestion).
import { api, ApiError, creationIntent } from '../../core/api.js';
import { divisionPicker } from '../../core/combobox.js';
import { announce, clear, debounce, formatDateTime, h, showProblem } from '../../core/dom.js';
import { t } from '../../core/i18n.js';
import { navigate } from '../../core/router.js';
import {
  OPERATOR_CHANNELS,
  VULNERABLE_GROUPS,
  categories,
  categoryName,
  isPhone,
  label,
  localName,
} from './codes.js';

/** Pauses in typing before the API is asked (suggestions, the phone's open tickets). */
const TYPING_PAUSE_MS = 300;
/** Suggestions shown (and reachable with Alt+1..3). */
const SUGGESTIONS_SHOWN = 3;

export async function renderNewTicket(main) {
  const catalogue = await categories().catch(() => []);

  const description = h('textarea', {
    id: 'ticket-description',
    name: 'description',
    rows: '3',
    required: true,
    'aria-describedby': 'ticket-description-hint',
  });
  const suggestionBox = h('div', {
    id: 'category-suggestions',
    class: 'suggestions',
    role: 'group',
    'aria-label': t('operator.newTicket.suggestions'),
  });
  const category = h(
    'select',
    { id: 'ticket-category', name: 'category', required: true },
    h('option', { value: '' }, t('operator.newTicket.categoryChoose')),
    catalogue.map((c) => h('option', { value: c.code }, localName(c.name))),
  );
  const phone = h('input', {
    id: 'ticket-phone',
    name: 'reporter.phone',
    type: 'tel',
    inputmode: 'tel',
    autocomplete: 'off',
    required: true,
    'aria-describedby': 'duplicate-warning',
  });
  const duplicateWarning = h('div', {
    id: 'duplicate-warning',
    class: 'warning',
    role: 'status',
    hidden: true,
  });
  const name = h('input', { id: 'ticket-name', name: 'reporter.name', autocomplete: 'off', required: true });
  const vulnerable = h(
    'fieldset',
    { class: 'checks', 'data-field': 'reporter.vulnerable' },
    h('legend', {}, t('operator.newTicket.vulnerable')),
    VULNERABLE_GROUPS.map((group) =>
      h(
        'label',
        { class: 'check' },
        h('input', {
          type: 'checkbox',
          id: `ticket-vulnerable-${group}`,
          name: 'reporter.vulnerable',
          value: group,
        }),
        ' ',
        label('vulnerable', group),
      ),
    ),
  );
  const community = divisionPicker({
    id: 'ticket-community',
    name: 'place.communityCode',
    label: t('operator.newTicket.community'),
    level: 'community',
    required: true,
  });
  const address = h('input', {
    id: 'ticket-address',
    name: 'place.address',
    autocomplete: 'off',
    required: true,
  });
  const channel = h(
    'select',
    { id: 'ticket-channel', name: 'channel' },
    OPERATOR_CHANNELS.map((code) => h('option', { value: code }, label('channel', code))),
  );
  const submit = h(
    'button',
    { id: 'ticket-submit', type: 'submit', class: 'primary' },
    t('operator.newTicket.submit'),
  );

  const field = (id, text, control, hint) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: id }, text),
      control,
      hint ? h('p', { id: `${id}-hint`, class: 'hint' }, hint) : null,
    );

  const form = h(
    'form',
    { id: 'ticket-form', class: 'ticket-form', novalidate: true },
    field(
      'ticket-description',
      t('operator.newTicket.description'),
      description,
      t('operator.newTicket.descriptionHint'),
    ),
    suggestionBox,
    field('ticket-category', t('operator.newTicket.category'), category),
    h(
      'div',
      { class: 'field-row' },
      field('ticket-phone', t('operator.newTicket.phone'), phone),
      field('ticket-name', t('operator.newTicket.name'), name),
    ),
    duplicateWarning,
    vulnerable,
    h(
      'div',
      { class: 'field-row' },
      community.element,
      field('ticket-address', t('operator.newTicket.address'), address),
    ),
    field('ticket-channel', t('operator.newTicket.channel'), channel),
    h('div', { class: 'actions' }, submit),
  );
  channel.value = 'hotline';

  clear(main);
  main.append(
    h('h1', { tabindex: '-1' }, t('operator.newTicket.title')),
    h(
      'div',
      { class: 'new-ticket-layout' },
      form,
      h(
        'aside',
        { class: 'shortcuts', 'aria-labelledby': 'operator-shortcuts' },
        h('h2', { id: 'operator-shortcuts' }, t('operator.shortcuts.title')),
        h(
          'ul',
          {},
          h('li', {}, t('operator.shortcuts.newTicket')),
          h('li', {}, t('operator.shortcuts.suggestion')),
          h('li', {}, t('operator.shortcuts.submit')),
        ),
      ),
    ),
  );

  // ---- category suggestions from the description ----------------------------------------------------------------
  let suggested = [];
  let suggesting;
  const pick = (code) => {
    category.value = code;
    for (const button of suggestionBox.querySelectorAll('[data-suggest-category]')) {
      button.setAttribute('aria-pressed', String(button.dataset.suggestCategory === code));
    }
    announce(t('operator.newTicket.suggestionPicked', { name: categoryName(catalogue, code) }));
  };
  const showSuggestions = (items) => {
    suggested = items.slice(0, SUGGESTIONS_SHOWN);
    clear(suggestionBox);
    if (suggested.length === 0) {
      if (description.value.trim())
        suggestionBox.append(h('p', { class: 'hint' }, t('operator.newTicket.suggestionsNone')));
      return;
    }
    suggestionBox.append(
      h('span', { class: 'suggestions-label' }, t('operator.newTicket.suggestions')),
      ...suggested.map((item, index) =>
        h(
          'button',
          {
            type: 'button',
            class: 'suggestion',
            'data-suggest-category': item.code,
            'aria-pressed': String(category.value === item.code),
            'aria-keyshortcuts': `Alt+${index + 1}`,
            onclick: () => pick(item.code),
          },
          t('operator.newTicket.suggestionButton', {
            n: index + 1,
            name: item.name ? localName(item.name) : categoryName(catalogue, item.code),
          }),
        ),
      ),
    );
  };
  const suggest = debounce(async () => {
    const text = description.value.trim();
    suggesting?.abort();
    if (!text) return showSuggestions([]);
    suggesting = new AbortController();
    try {
      const reply = await api('resident-requests', '/categories/suggestions', {
        query: { text },
        signal: suggesting.signal,
      });
      showSuggestions(reply.items ?? []);
    } catch (error) {
      // No suggestion is not a problem to show: the operator picks the category by hand.
      if (error?.name !== 'AbortError') showSuggestions([]);
    }
  }, TYPING_PAUSE_MS);
  description.addEventListener('input', suggest);

  // ---- the caller's open tickets while the phone is typed ------------------------------------------------------------
  let checking;
  const showDuplicates = (items) => {
    clear(duplicateWarning);
    duplicateWarning.hidden = items.length === 0;
    if (items.length === 0) return;
    duplicateWarning.append(
      h('p', {}, t('operator.newTicket.duplicate', { count: items.length })),
      h(
        'ul',
        {},
        items.map((item) =>
          h(
            'li',
            {},
            h(
              'a',
              { href: `#/tickets/${encodeURIComponent(item.ticketId)}`, 'data-ticket-id': item.ticketId },
              item.ticketId,
            ),
            ' ',
            t('operator.newTicket.duplicateItem', {
              category: categoryName(catalogue, item.category),
              status: label('status', item.status),
              time: formatDateTime(item.createdAt),
            }),
          ),
        ),
      ),
    );
  };
  const checkPhone = debounce(async () => {
    const number = phone.value.trim();
    checking?.abort();
    if (!isPhone(number)) return showDuplicates([]);
    checking = new AbortController();
    try {
      const reply = await api('resident-requests', '/tickets/open-by-phone', {
        query: { phone: number },
        signal: checking.signal,
      });
      showDuplicates(reply.items ?? []);
    } catch (error) {
      if (error?.name !== 'AbortError') showDuplicates([]);
    }
  }, TYPING_PAUSE_MS);
  phone.addEventListener('input', checkPhone);

  // ---- keyboard: Enter moves on, Ctrl+Enter or Enter in the last fields submits, Alt+1..3 picks ----------------------
  const order = [description, category, phone, name, community.input, address, channel];
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    if (event.altKey && /^[1-9]$/.test(event.key)) {
      const item = suggested[Number(event.key) - 1];
      if (item) {
        event.preventDefault();
        pick(item.code);
      }
      return;
    }
    if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.defaultPrevented) return;
    const target = event.target;
    if (target === description || target.tagName === 'BUTTON' || target.type === 'checkbox') return;
    // The community's combobox takes Enter to choose an option while its list is open.
    if (target.getAttribute('aria-expanded') === 'true') return;
    const at = order.indexOf(target);
    if (target === address || target === channel) return (event.preventDefault(), form.requestSubmit());
    if (at >= 0 && at < order.length - 1) {
      event.preventDefault();
      order[at + 1].focus();
    }
  });

  // ---- submit ---------------------------------------------------------------------------------------------------------
  let sending = false;
  const intent = creationIntent();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending) return;
    const body = ticketBody(form, community.value);
    // What is missing is said at once, in the operator's language, without a round trip; the API checks again.
    const missing = missingFields(body);
    if (missing.length) {
      announce(t('operator.newTicket.failed'));
      showProblem(form, { status: 400, fieldErrors: missing });
      return;
    }
    sending = true;
    submit.disabled = true;
    submit.textContent = t('operator.newTicket.submitting');
    try {
      const ticket = await api('resident-requests', '/tickets', {
        method: 'POST',
        body,
        idempotencyKey: intent.key(),
      });
      intent.settle();
      announce(t('operator.newTicket.created', { id: ticket.ticketId }));
      navigate(`/tickets/${encodeURIComponent(ticket.ticketId)}`);
    } catch (error) {
      intent.settle(error);
      if (!(error instanceof ApiError)) throw error;
      announce(t('operator.newTicket.failed'));
      showProblem(form, error);
    } finally {
      sending = false;
      submit.disabled = false;
      submit.textContent = t('operator.newTicket.submit');
    }
  });

  return () => {
    suggest.cancel();
    checkPhone.cancel();
    suggesting?.abort();
    checking?.abort();
  };
}

/** The fields the operator still has to fill (or fix), as a problem's fieldErrors. */
function missingFields(body) {
  const missing = [];
  const need = (value, field, key) => {
    if (!value) missing.push({ field, message: t(`operator.newTicket.${key}`) });
  };
  need(body.description, 'description', 'required');
  need(body.category, 'category', 'requiredCategory');
  if (body.reporter.phone && !isPhone(body.reporter.phone))
    missing.push({ field: 'reporter.phone', message: t('operator.newTicket.badPhone') });
  else need(body.reporter.phone, 'reporter.phone', 'required');
  need(body.reporter.name, 'reporter.name', 'required');
  need(body.place.communityCode, 'place.communityCode', 'requiredCommunity');
  need(body.place.address, 'place.address', 'required');
  return missing;
}

/** The form as POST /tickets reads it; an empty field is left out so that the API names it as missing. */
function ticketBody(form, communityCode) {
  const data = new FormData(form);
  const text = (key) => {
    const value = String(data.get(key) ?? '').trim();
    return value === '' ? undefined : value;
  };
  const vulnerable = data.getAll('reporter.vulnerable').map(String);
  return {
    channel: text('channel') ?? 'hotline',
    category: text('category'),
    description: text('description'),
    reporter: {
      name: text('reporter.name'),
      phone: text('reporter.phone'),
      ...(vulnerable.length ? { vulnerable } : {}),
    },
    place: { communityCode: communityCode || undefined, address: text('place.address') },
  };
}
