// The provider's screens (a mediator, a provider of mediation, may use them too): jobs offered to me (the main
// screen), my jobs, one job. Their look is provider.css, loaded once with the module.
import { loadStyle } from '../../core/dom.js';
import { addMessages, t } from '../../core/i18n.js';
import { renderJob } from './job.js';
import { messages } from './messages.js';
import { renderMine } from './mine.js';
import { renderOffers } from './offers.js';

addMessages(messages);

loadStyle(new URL('./provider.css', import.meta.url));

const ROLES = ['provider', 'mediator'];

export const routes = [
  {
    path: '/jobs/offered',
    roles: ROLES,
    title: () => t('provider.offers.title'),
    nav: () => t('provider.nav.offers'),
    render: renderOffers,
  },
  {
    path: '/jobs/mine',
    roles: ROLES,
    title: () => t('provider.mine.title'),
    nav: () => t('provider.nav.mine'),
    render: renderMine,
  },
  { path: '/jobs/:id', roles: ROLES, title: () => t('provider.job.title'), render: renderJob },
];
