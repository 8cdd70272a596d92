// Small pieces the coordinator's screens share: <option>s from codes, a field's problem in the API's shape (so
// the client's own checks show like the server's), the shortcuts note, and a labelled select.
import { h, shortcutsNote as coreShortcutsNote } from '../../core/dom.js';
import { t } from '../../core/i18n.js';

/** `<option>`s for codes, their labels from `label(code)`, `selected` chosen. */
export function options(codes, label, selected) {
  return codes.map((code) => h('option', { value: code, selected: code === selected }, label(code)));
}

/** A problem of one field, as the platform's problem+json names it (`{ field, message }`). */
export function fieldProblem(field, message) {
  return { field, message };
}

/** The page's keyboard shortcuts, said on the page (and to screen readers) rather than hidden. */
export function shortcutsNote(lines) {
  return coreShortcutsNote(t('coordinator.shortcuts.title'), lines);
}

/** A `<div class="field">` with its label and a select of codes. */
export function selectField({ id, name, label, codes, labelOf, selected, empty }) {
  const select = h(
    'select',
    { id, name },
    empty !== undefined ? h('option', { value: '' }, empty) : null,
    options(codes, labelOf, selected),
  );
  return { select, element: h('div', { class: 'field' }, h('label', { for: id }, label), select) };
}
