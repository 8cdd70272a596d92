// The console's shell: sign-in, the header (navigation by role, live indicator, language, sign-out), keyboard
// shortcuts (Alt+<key> per screen), and the router that puts each role's screens in <main>.
import './messages.js';
import { ApiError, loadSession, onSignedOut, signIn, signOut } from './core/api.js';
import { announce, clear, h, problemText } from './core/dom.js';
import { onLanguageChange, language, setLanguage, t } from './core/i18n.js';
import { onLive, onLiveStatus, stopLive } from './core/live.js';
import {
  defineRoutes,
  homeFor,
  navigate,
  navigationFor,
  refresh,
  startRouter,
  stopRouter,
} from './core/router.js';
import { loadRoleRoutes } from './pages/index.js';

const byId = (id) => document.getElementById(id);
const ui = {
  nav: byId('nav'),
  navList: byId('nav-list'),
  live: byId('live-indicator'),
  language: byId('language'),
  account: byId('account-link'),
  signOut: byId('sign-out'),
  signIn: byId('sign-in'),
  signInTitle: byId('sign-in-title'),
  form: byId('sign-in-form'),
  username: byId('username'),
  password: byId('password'),
  signInButton: byId('sign-in-button'),
  screen: byId('screen'),
};

let me = null;
let stopKeepingLive = null;
let shortcuts = [];

defineRoutes([
  {
    path: '/account',
    title: () => t('common.account'),
    render: (main, _params, _query, user) => {
      const roles = (user.roles || []).map((role) => t(`common.role.${role}`)).join('、');
      main.append(
        h('h1', null, t('common.account')),
        h(
          'dl',
          { class: 'who' },
          h('dt', null, t('common.displayName')),
          h('dd', { id: 'who-name' }, user.displayName || ''),
          h('dt', null, t('common.username')),
          h('dd', { id: 'who-username' }, user.username || user.userId || ''),
          h('dt', null, t('common.roles')),
          h('dd', { id: 'who-roles' }, roles),
          h('dt', null, t('common.jurisdiction')),
          h('dd', { id: 'who-jurisdiction' }, user.jurisdiction || ''),
        ),
      );
    },
  },
]);

/** Loads the screens of the user's roles (once per module), before the router looks for one. */
async function loadScreensFor(roles) {
  const { routes, failed } = await loadRoleRoutes(roles);
  defineRoutes(routes);
  shortcuts.push(...routes.filter((route) => route.shortcut));
  if (failed.length) announce(t('common.missingModules', { names: failed.join(', ') }), { error: true });
}

function applyLanguage() {
  document.documentElement.lang = language();
  for (const element of document.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.getAttribute('data-i18n'));
  }
  ui.language.textContent = t('common.switchTo');
  ui.language.lang = t('common.switchToLang');
  if (me) {
    renderHeader();
    void refresh();
  } else {
    document.title = `${t('common.signInTitle')} · ${t('common.brandShort')}`;
  }
}

function renderHeader() {
  clear(ui.navList);
  for (const route of navigationFor(me.roles)) {
    const label = route.nav();
    const key = route.shortcut ? ` (Alt+${route.shortcut.toUpperCase()})` : '';
    ui.navList.append(
      h('li', null, h('a', { href: `#${route.path}`, 'data-path': route.path, title: label + key }, label)),
    );
  }
  ui.nav.hidden = false;
  ui.account.hidden = false;
  ui.account.textContent = me.displayName || me.username;
  ui.signOut.hidden = false;
  markCurrent();
  showLive(false);
}

function markCurrent() {
  const path = window.location.hash.replace(/^#/, '').split('?')[0];
  // The longest link the path is under (/tickets/new is "new ticket", /tickets/42 is "tickets").
  let best = null;
  for (const link of ui.navList.querySelectorAll('a')) {
    const under = path === link.dataset.path || path.startsWith(`${link.dataset.path}/`);
    if (under && (!best || link.dataset.path.length > best.dataset.path.length)) best = link;
  }
  for (const link of ui.navList.querySelectorAll('a')) {
    if (link === best) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function showLive(connected) {
  ui.live.hidden = !me;
  ui.live.classList.toggle('on', connected);
  ui.live.textContent = t('common.live');
  ui.live.title = connected ? t('common.liveOn') : t('common.liveOff');
  ui.live.setAttribute('aria-label', ui.live.title);
}

async function enter(user) {
  me = user;
  await loadScreensFor(user.roles);
  ui.signIn.hidden = true;
  renderHeader();
  // One stream for the whole session: screens listen to it (core/live.js) without reconnecting on each move.
  stopKeepingLive = onLive(() => {});
  onLiveStatus(showLive);
  if (!window.location.hash || window.location.hash === '#' || window.location.hash === '#/') {
    window.history.replaceState(null, '', `#${homeFor(user.roles)}`);
  }
  await startRouter(user, ui.screen, { onRoute: markCurrent });
}

function leave(message) {
  me = null;
  stopRouter();
  if (stopKeepingLive) stopKeepingLive();
  stopLive();
  clear(ui.screen);
  ui.nav.hidden = true;
  ui.account.hidden = true;
  ui.signOut.hidden = true;
  ui.live.hidden = true;
  ui.signIn.hidden = false;
  ui.password.value = '';
  document.title = `${t('common.signInTitle')} · ${t('common.brandShort')}`;
  if (message) announce(message);
  ui.signInTitle.focus();
}

async function submitSignIn(event) {
  event.preventDefault();
  const username = ui.username.value.trim().toLowerCase();
  const password = ui.password.value;
  if (!username || !password) {
    announce(t('common.missing'), { error: true });
    (username ? ui.password : ui.username).focus();
    return;
  }
  ui.signInButton.disabled = true;
  announce(t('common.signingIn'));
  try {
    const user = await signIn(username, password);
    if (!user) throw new ApiError(401, null, null);
    announce(t('common.welcome', { name: user.displayName || user.username }));
    await enter(user);
  } catch (error) {
    let message = problemText(error);
    if (error instanceof ApiError && error.status === 401) message = t('common.wrong');
    if (error instanceof ApiError && error.status === 423) message = t('common.locked');
    announce(message, { error: true });
    ui.password.value = '';
    ui.password.focus();
  } finally {
    ui.signInButton.disabled = false;
  }
}

ui.form.addEventListener('submit', submitSignIn);
ui.language.addEventListener('click', () => setLanguage(language() === 'zh-CN' ? 'en' : 'zh-CN'));
ui.signOut.addEventListener('click', async () => {
  me = null; // asked for: "signed out", not "expired"
  // Whoever signs in next in this tab starts on their own main screen, not on this user's last one.
  window.history.replaceState(null, '', window.location.pathname);
  await signOut();
});
onSignedOut(() => leave(me ? t('common.expired') : t('common.signedOut')));
onLanguageChange(applyLanguage);

// Alt+<key> opens the screen that declares it; Alt+L switches the language.
document.addEventListener('keydown', (event) => {
  if (!event.altKey || event.ctrlKey || event.metaKey || !me) return;
  const key = event.key.toLowerCase();
  if (key === 'l') {
    event.preventDefault();
    ui.language.click();
    return;
  }
  const route = shortcuts.find(
    (candidate) =>
      candidate.shortcut === key && (!candidate.roles || candidate.roles.some((r) => me.roles.includes(r))),
  );
  if (route) {
    event.preventDefault();
    navigate(route.path);
  }
});

applyLanguage();
loadSession()
  .then((user) => (user ? enter(user) : leave()))
  .catch((error) => {
    leave();
    announce(problemText(error), { error: true });
  });
