// Hash routes (`#/tickets/42?status=open`): the page is one document, so moving between screens keeps the live
// stream and costs no reload. Each route names the roles that may open it; on every move the old screen's cleanup
// runs, the new one renders into <main>, the title changes and focus goes to the screen's h1 (screen readers hear
// where they are).
import { h, clear, problemText } from './dom.js';
import { t } from './i18n.js';

const routes = [];
let cleanup = null;
let rendering = 0;
let currentUser = null;

/** The role's main screen, in this order when a user holds several roles. */
const HOMES = [
  ['operator', '/tickets/new'],
  ['provider', '/jobs/offered'],
  ['coordinator', '/incidents'],
  ['mediator', '/cases'],
  ['supervisor', '/dashboard'],
];

export function homeFor(roles) {
  for (const [role, path] of HOMES) {
    if ((roles || []).includes(role)) {
      const hasRoute = routes.some((route) => route.path === path);
      if (hasRoute) return path;
    }
  }
  return '/account';
}

/**
 * `[{ path: '/tickets/:id', roles: ['operator'], title: (params) => t('…'), nav?: () => t('…'), autofocus?: '#x',
 * shortcut?: 'n' (Alt+N opens it), render: async (main, params, query, user) => cleanup? }]`.
 */
export function defineRoutes(list) {
  for (const route of list) {
    const names = [];
    const pattern = new RegExp(
      '^' +
        route.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\/:(\w+)/g, (_, name) => {
          names.push(name);
          return '/([^/]+)';
        }) +
        '$',
    );
    routes.push({ ...route, pattern, names });
  }
}

/** The routes a user's roles open that ask to be in the navigation. */
export function navigationFor(roles) {
  return routes.filter((route) => route.nav && allowed(route, roles));
}

function allowed(route, roles) {
  return !route.roles || route.roles.some((role) => (roles || []).includes(role));
}

export function currentPath() {
  const hash = window.location.hash.replace(/^#/, '');
  return hash.split('?')[0] || '/';
}

export function navigate(path, { replace = false } = {}) {
  const target = `#${path}`;
  if (window.location.hash === target) {
    void render();
  } else if (replace) {
    window.history.replaceState(null, '', target);
    void render();
  } else {
    window.location.hash = target;
  }
}

/** Rewrites the hash's query (filters) without adding a history entry or re-rendering. */
export function replaceQuery(query) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const text = search.toString();
  window.history.replaceState(null, '', `#${currentPath()}${text ? `?${text}` : ''}`);
}

function parseQuery() {
  const hash = window.location.hash.replace(/^#/, '');
  const index = hash.indexOf('?');
  return new URLSearchParams(index < 0 ? '' : hash.slice(index + 1));
}

/** Starts routing for a signed-in user; `main` is the element screens render into. */
export function startRouter(user, main, { onRoute } = {}) {
  currentUser = user;
  window.onhashchange = () => void render(main, onRoute);
  return render(main, onRoute);
}

export function stopRouter() {
  window.onhashchange = null;
  runCleanup();
  currentUser = null;
}

function runCleanup() {
  if (typeof cleanup === 'function') {
    try {
      cleanup();
    } catch {
      // a screen failing to clean up must not block the next one
    }
  }
  cleanup = null;
}

let lastMain = null;
let lastOnRoute = null;

async function render(main = lastMain, onRoute = lastOnRoute) {
  lastMain = main;
  lastOnRoute = onRoute;
  if (!main || !currentUser) return;
  const path = currentPath();
  if (path === '/' || path === '') {
    navigate(homeFor(currentUser.roles), { replace: true });
    return;
  }
  const route = routes.find((candidate) => candidate.pattern.test(path));
  runCleanup();
  const ticket = ++rendering;
  clear(main);
  if (!route) {
    main.append(h('h1', { tabindex: '-1' }, t('common.pageNotFound')));
    finish(main, t('common.pageNotFound'), onRoute, null);
    return;
  }
  if (!allowed(route, currentUser.roles)) {
    main.append(h('h1', { tabindex: '-1' }, t('common.forbiddenPage')));
    finish(main, t('common.forbiddenPage'), onRoute, route);
    return;
  }
  const match = route.pattern.exec(path);
  const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
  try {
    const result = await route.render(main, params, parseQuery(), currentUser);
    if (ticket !== rendering) {
      if (typeof result === 'function') result();
      return;
    }
    cleanup = typeof result === 'function' ? result : null;
  } catch (error) {
    if (ticket !== rendering) return;
    clear(main);
    main.append(
      h('h1', { tabindex: '-1' }, t('common.pageFailed')),
      h('p', { class: 'error' }, problemText(error)),
    );
  }
  finish(main, route.title ? route.title(params) : '', onRoute, route);
}

function finish(main, title, onRoute, route) {
  document.title = title ? `${title} · ${t('common.brandShort')}` : t('common.brandShort');
  const heading = main.querySelector('h1');
  if (heading && !heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
  // A screen where people type at once (the new-ticket form) names its first field as `autofocus`.
  const target = (route && route.autofocus && main.querySelector(route.autofocus)) || heading;
  if (target) target.focus({ preventScroll: false });
  if (onRoute) onRoute(route);
}

/** Re-renders the current screen (after a language switch). */
export function refresh() {
  return render();
}
