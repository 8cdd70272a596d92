// The administrative-tree picker: type a name (or a code's start), pick a community (or street, district…) from
// the list. ARIA 1.2 combobox with a listbox popup: Down/Up move, Enter picks, Escape closes, the active option
// announced through aria-activedescendant. Searches GET /api/resident-requests/divisions. With `multiple`, picked
// places show as removable chips.
import { api } from './api.js';
import { debounce, h, clear } from './dom.js';
import { t } from './i18n.js';

let sequence = 0;

/**
 * `divisionPicker({ id, name, label, under?, level?, multiple?, required?, hint?, onChange?(value) })` →
 * `{ element, input, value, set(division | divisions), clear() }`; `value` is the picked code (or codes).
 */
export function divisionPicker({
  id,
  name,
  label,
  under,
  level,
  multiple = false,
  required = false,
  hint,
  onChange,
}) {
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  let picked = [];
  let options = [];
  let active = -1;
  let searchNumber = 0;

  const input = h('input', {
    id,
    name: name || id,
    type: 'text',
    role: 'combobox',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': listId,
    'aria-describedby': hintId,
    required: required && !multiple,
    maxlength: '60',
  });
  const list = h('ul', {
    id: listId,
    role: 'listbox',
    class: 'combobox-list',
    hidden: true,
    'aria-label': label,
  });
  const chips = h('ul', { class: 'chips', 'aria-label': t('common.picked') });
  const status = h('span', { class: 'visually-hidden', 'aria-live': 'polite' });
  const element = h(
    'div',
    { class: 'field combobox' },
    h('label', { for: id }, label),
    multiple ? chips : null,
    input,
    h('p', { id: hintId, class: 'hint' }, hint || t('common.pickerHint')),
    list,
    status,
  );

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function setActive(index) {
    const items = list.querySelectorAll('[role=option]');
    if (!items.length) return;
    active = (index + items.length) % items.length;
    items.forEach((item, i) => item.setAttribute('aria-selected', String(i === active)));
    input.setAttribute('aria-activedescendant', items[active].id);
    items[active].scrollIntoView({ block: 'nearest' });
  }

  function renderOptions() {
    clear(list);
    options.forEach((division, i) => {
      list.append(
        h(
          'li',
          {
            id: `${id}-option-${++sequence}`,
            role: 'option',
            'aria-selected': 'false',
            'data-code': division.code,
            onmousedown: (event) => event.preventDefault(),
            onclick: () => choose(i),
          },
          h('span', { class: 'option-name' }, division.name),
          h('span', { class: 'option-path' }, ` ${division.path || ''} · ${division.code}`),
        ),
      );
    });
    if (options.length === 0)
      list.append(h('li', { class: 'option-none', role: 'presentation' }, t('common.noMatch')));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    status.textContent = t('common.matches', { n: options.length });
  }

  function changed() {
    if (onChange) onChange(api_.value);
  }

  function choose(index) {
    const division = options[index];
    if (!division) return;
    if (multiple) {
      if (!picked.some((item) => item.code === division.code)) picked.push(division);
      input.value = '';
      renderChips();
    } else {
      picked = [division];
      input.value = division.name;
      input.dataset.code = division.code;
    }
    close();
    input.removeAttribute('aria-invalid');
    changed();
  }

  function renderChips() {
    clear(chips);
    for (const division of picked) {
      chips.append(
        h(
          'li',
          { 'data-code': division.code },
          `${division.name} `,
          h(
            'button',
            {
              type: 'button',
              class: 'chip-remove',
              'aria-label': t('common.remove', { name: division.name }),
              onclick: () => {
                picked = picked.filter((item) => item.code !== division.code);
                renderChips();
                changed();
                input.focus();
              },
            },
            '×',
          ),
        ),
      );
    }
  }

  const search = debounce(async () => {
    const text = input.value.trim();
    if (!text) {
      close();
      return;
    }
    const number = ++searchNumber;
    try {
      const answer = await api('resident-requests', '/divisions', {
        query: { q: text, under, level, limit: 12 },
      });
      if (number !== searchNumber) return;
      options = answer.items || [];
    } catch {
      if (number !== searchNumber) return;
      options = [];
    }
    renderOptions();
  }, 150);

  input.addEventListener('input', () => {
    if (!multiple) {
      picked = [];
      delete input.dataset.code;
      changed();
    }
    search();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (list.hidden) search();
      else setActive(active + 1);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive(active - 1);
    } else if (event.key === 'Enter' && !list.hidden) {
      // Enter picks the active option (or the only one) instead of submitting the form.
      const index = active >= 0 ? active : options.length === 1 ? 0 : -1;
      if (index >= 0) {
        event.preventDefault();
        choose(index);
      }
    } else if (event.key === 'Escape' && !list.hidden) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 100));

  const api_ = {
    element,
    input,
    get value() {
      return multiple ? picked.map((item) => item.code) : picked[0] ? picked[0].code : '';
    },
    get picked() {
      return [...picked];
    },
    /** Presets the choice: `{ code, name }` (or an array of them with `multiple`). */
    set(value) {
      picked = (Array.isArray(value) ? value : value ? [value] : []).filter(Boolean);
      if (multiple) renderChips();
      else {
        input.value = picked[0] ? picked[0].name : '';
        if (picked[0]) input.dataset.code = picked[0].code;
      }
    },
    clear() {
      picked = [];
      input.value = '';
      delete input.dataset.code;
      if (multiple) renderChips();
      close();
    },
  };
  return api_;
}
