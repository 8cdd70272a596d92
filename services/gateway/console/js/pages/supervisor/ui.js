// Pieces the supervisor's two screens share.
import { shortcutsNote as coreShortcutsNote } from '../../core/dom.js';
import { t } from '../../core/i18n.js';

/** The page's keyboard shortcuts, said on the page (and to screen readers) rather than hidden. */
export function shortcutsNote(lines) {
  return coreShortcutsNote(t('supervisor.shortcuts.title'), lines);
}
