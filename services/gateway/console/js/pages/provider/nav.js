// The provider's two lists, one tap apart: offered jobs and my jobs (the current one marked for screen readers).
import { h } from '../../core/dom.js';
import { t } from '../../core/i18n.js';

export function providerNav(current) {
  const link = (key, href, label) =>
    h('li', {}, h('a', { href, class: 'tab', 'aria-current': current === key ? 'page' : null }, label));
  return h(
    'nav',
    { class: 'provider-nav', 'aria-label': t('provider.nav.label') },
    h(
      'ul',
      {},
      link('offered', '#/jobs/offered', t('provider.nav.offers')),
      link('mine', '#/jobs/mine', t('provider.nav.mine')),
    ),
  );
}
