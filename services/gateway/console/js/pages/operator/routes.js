// The hotline operator's screens (热线接线员): the new ticket (main screen, Alt+N from anywhere: a second call comes
// in while a ticket is open; on the form already, it starts over with an empty one), the ticket list, a ticket's
// page and today's call-backs. Supervisors and admins may read the list and a ticket's page too.
import { loadStyle } from '../../core/dom.js';
import { addMessages, t } from '../../core/i18n.js';
import { renderCallbacks } from './callbacks.js';
import { messages } from './messages.js';
import { renderNewTicket } from './new-ticket.js';
import { renderTicket } from './ticket.js';
import { renderTickets } from './tickets.js';

addMessages(messages);

// The few styles only these screens use (suggestion chips, the call-back outcomes), beside the core's console.css.
loadStyle(new URL('./operator.css', import.meta.url));

const READERS = ['operator', 'supervisor', 'admin'];

export const routes = [
  {
    path: '/tickets/new',
    roles: ['operator'],
    title: () => t('operator.newTicket.title'),
    nav: () => t('operator.nav.newTicket'),
    shortcut: 'n',
    autofocus: '#ticket-description',
    render: renderNewTicket,
  },
  {
    path: '/tickets',
    roles: READERS,
    title: () => t('operator.list.title'),
    nav: () => t('operator.nav.tickets'),
    render: renderTickets,
  },
  {
    path: '/tickets/:id',
    roles: READERS,
    title: (params) => t('operator.ticket.title', { id: params.id }),
    render: renderTicket,
  },
  {
    path: '/callbacks',
    roles: ['operator'],
    title: () => t('operator.callbacks.title'),
    nav: () => t('operator.nav.callbacks'),
    render: renderCallbacks,
  },
];
