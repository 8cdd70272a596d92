// The mediator's screens: my cases (the main screen, with the follow-ups due), one case, the sessions calendar.
// Their look is mediator.css, loaded once with the module.
import { loadStyle } from '../../core/dom.js';
import { addMessages, t } from '../../core/i18n.js';
import { renderCalendar } from './calendar.js';
import { renderCase } from './case.js';
import { renderCases } from './cases.js';
import { messages } from './messages.js';

addMessages(messages);

loadStyle(new URL('./mediator.css', import.meta.url));

const ROLES = ['mediator'];

export const routes = [
  {
    path: '/cases',
    roles: ROLES,
    title: () => t('mediator.cases.title'),
    nav: () => t('mediator.nav.cases'),
    shortcut: 'c',
    render: renderCases,
  },
  {
    path: '/sessions',
    roles: ROLES,
    title: () => t('mediator.calendar.title'),
    nav: () => t('mediator.nav.sessions'),
    shortcut: 's',
    render: renderCalendar,
  },
  {
    path: '/cases/:id',
    roles: ROLES,
    title: (params) => t('mediator.case.title', { id: params.id }),
    render: renderCase,
  },
];
