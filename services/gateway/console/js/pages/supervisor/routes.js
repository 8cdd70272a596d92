// The supervisor's screens (community / district supervisor): the plan's indicators for their area as charts and
// tables (main screen, Alt+D), and the escalations and service-level breaches of their jurisdiction (Alt+E).
// Administrators and auditors read the indicators too, as insights allows them.
import { loadStyle } from '../../core/dom.js';
import { addMessages, t } from '../../core/i18n.js';
import { renderDashboard } from './dashboard.js';
import { renderEscalations } from './escalations.js';
import { messages } from './messages.js';

addMessages(messages);

// The few styles only these screens use (indicator cards, chart boxes), beside the core's console.css.
loadStyle(new URL('./supervisor.css', import.meta.url));

export const routes = [
  {
    path: '/dashboard',
    roles: ['supervisor', 'admin', 'auditor'],
    title: () => t('supervisor.dashboard.title'),
    nav: () => t('supervisor.nav.dashboard'),
    shortcut: 'd',
    render: renderDashboard,
  },
  {
    path: '/escalations',
    roles: ['supervisor'],
    title: () => t('supervisor.escalations.title'),
    nav: () => t('supervisor.nav.escalations'),
    shortcut: 'e',
    render: renderEscalations,
  },
];
