// The emergency coordinator's screens (应急): the incidents of my jurisdiction with the declaration form (main
// screen), an incident's page with its alerts and the alert composer, and an alert's live acknowledgement and
// welfare board. Alt+I opens the incidents from anywhere.
import { loadStyle } from '../../core/dom.js';
import { addMessages, t } from '../../core/i18n.js';
import { renderAlert } from './alert.js';
import { renderIncident } from './incident.js';
import { renderIncidents } from './incidents.js';
import { messages } from './messages.js';

addMessages(messages);
loadStyle(new URL('./coordinator.css', import.meta.url));

/** Who works incidents (emergency's INCIDENT_WRITERS; operators read them elsewhere). */
const ROLES = ['coordinator', 'supervisor', 'admin'];

export const routes = [
  {
    path: '/incidents',
    roles: ROLES,
    title: () => t('coordinator.incidents.title'),
    nav: () => t('coordinator.nav.incidents'),
    shortcut: 'i',
    render: renderIncidents,
  },
  {
    path: '/incidents/:id',
    roles: ROLES,
    title: (params) => t('coordinator.incident.title', { id: params.id }),
    render: renderIncident,
  },
  {
    path: '/alerts/:id',
    roles: ROLES,
    title: (params) => t('coordinator.alert.title', { id: params.id }),
    render: renderAlert,
  },
];
