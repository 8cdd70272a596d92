// Pieces the supervisor's two screens share.
import { h } from '../../core/dom.js';
import { t } from '../../core/i18n.js';

/** The page's keyboard shortcuts, said on the page (and to screen readers) rather than hidden. */
export function shortcutsNote(lines) {
  return h(
    'details',
    { class: 'shortcuts' },
    h('summary', null, t('supervisor.shortcuts.title')),
    h(
      'ul',
      null,
      lines.map((line) => h('li', null, line)),
    ),
  );
}
