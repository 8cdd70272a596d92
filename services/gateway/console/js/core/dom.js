// Small DOM helpers: elements without innerHTML (no markup from data ever reaches the page as HTML), the live
// region, problems shown on their fields, dates in the user's language and China's time zone.
import { language, t } from './i18n.js';

/**
 * `h('button', { class: 'primary', onclick: save, 'aria-describedby': 'x' }, t('save'))`. Attributes: `class`,
 * `id`, `for`, `aria-*`, `data-*`, `on<event>` handlers, booleans (`hidden`, `disabled`, `required`, `checked`)
 * and properties `value`. Children: strings, nodes, arrays, null/undefined/false (skipped).
 */
export function h(tag, attrs, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'value' || name === 'checked' || name === 'selected') {
      element[name] = value;
    } else if (name === 'class' && Array.isArray(value)) {
      element.className = value.filter(Boolean).join(' ');
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : String(child));
  }
}

export function clear(element) {
  while (element.firstChild) element.firstChild.remove();
  return element;
}

/** Says something to screen-reader users (and shows it in the status line). */
export function announce(text, { error = false } = {}) {
  const region = document.getElementById('status');
  if (!region) return;
  region.textContent = '';
  region.classList.toggle('error', error);
  clearTimeout(announceTimer);
  // A fresh text node each time, so the same message twice is announced twice.
  window.requestAnimationFrame(() => {
    region.textContent = text;
  });
  // News fades after a while; a problem stays until the next message.
  if (!error) {
    announceTimer = setTimeout(() => {
      if (region.textContent === text) region.textContent = '';
    }, 10_000);
  }
}

let announceTimer = null;

/** The message for a failed call, in the user's language. */
export function problemText(error) {
  if (!error) return t('common.failed', { id: '-' });
  if (error.name === 'NetworkError') return t('common.unreachable');
  switch (error.status) {
    case 401:
      return t('common.expired');
    case 403:
      return t('common.forbidden');
    case 404:
      return t('common.notFound');
    case 409:
      return error.problem && error.problem.detail
        ? `${t('common.conflict')} ${error.problem.detail}`
        : t('common.conflict');
    case 413:
      return t('common.tooLarge');
    case 429:
      return t('common.tooMany', { s: error.retryAfter || '60' });
    default:
      if (
        error.status >= 400 &&
        error.status < 500 &&
        error.problem &&
        (error.problem.detail || error.problem.title)
      ) {
        return error.problem.detail || error.problem.title;
      }
      return t('common.failed', { id: error.correlationId || '-' });
  }
}

/**
 * Shows a refused request on a form: each field at fault (matched by `name`, dotted paths as in the problem:
 * `place.communityCode`) gets aria-invalid and its message linked by aria-describedby; the first one takes focus.
 * Other problems go to the form's summary (`.form-problem`, created when missing). Returns true when shown on fields.
 */
export function showProblem(form, error) {
  clearProblems(form);
  let summary = form.querySelector('.form-problem');
  if (!summary) {
    summary = h('p', { class: 'form-problem', role: 'alert' });
    form.prepend(summary);
  }
  const fields = (error && error.fieldErrors) || [];
  let first = null;
  const unmatched = [];
  for (const { field, message } of fields) {
    const input = findField(form, field);
    if (!input) {
      unmatched.push(`${field}: ${message}`);
      continue;
    }
    const id = `${input.id || input.name.replace(/\W/g, '-')}-problem`;
    input.setAttribute('aria-invalid', 'true');
    const described = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    if (!described.includes(id)) input.setAttribute('aria-describedby', [...described, id].join(' '));
    const note = h('p', { class: 'field-problem', id }, message);
    (input.closest('.field') || input.parentElement).append(note);
    first = first || input;
  }
  const general = fields.length === 0 || unmatched.length ? [problemText(error), ...unmatched].join(' ') : '';
  summary.textContent = general || t('common.fixFields');
  summary.hidden = false;
  if (first) first.focus();
  else summary.focus?.();
  return Boolean(first);
}

function findField(form, field) {
  const candidates = [field, field.replace(/\.\d+$/, ''), field.split('.').pop()];
  for (const name of candidates) {
    const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (input) return input;
  }
  return null;
}

export function clearProblems(form) {
  for (const note of form.querySelectorAll('.field-problem')) {
    const input = form.querySelector(`[aria-describedby~="${CSS.escape(note.id)}"]`);
    if (input) {
      input.removeAttribute('aria-invalid');
      const rest = input
        .getAttribute('aria-describedby')
        .split(' ')
        .filter((id) => id && id !== note.id);
      if (rest.length) input.setAttribute('aria-describedby', rest.join(' '));
      else input.removeAttribute('aria-describedby');
    }
    note.remove();
  }
  const summary = form.querySelector('.form-problem');
  if (summary) {
    summary.textContent = '';
    summary.hidden = true;
  }
}

const TIME_ZONE = 'Asia/Shanghai';

function formatter(options) {
  return new Intl.DateTimeFormat(language(), { timeZone: TIME_ZONE, ...options });
}

/** 14:05 */
export function formatTime(iso) {
  if (!iso) return '';
  return formatter({ hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}

/** 2026/11/29 14:05 */
export function formatDateTime(iso) {
  if (!iso) return '';
  return formatter({
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

/** 2026/11/29 */
export function formatDate(iso) {
  if (!iso) return '';
  return formatter({ year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** Today's date in China (YYYY-MM-DD), the day the platform's work lists use. */
export function todayInChina(at = new Date()) {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** A number in the user's language; ratios as percentages with one decimal. */
export function formatNumber(value, { percent = false, digits = 1 } = {}) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return new Intl.NumberFormat(language(), {
    style: percent ? 'percent' : 'decimal',
    maximumFractionDigits: digits,
    minimumFractionDigits: percent ? digits : 0,
  }).format(value);
}

/** Adds a role module's stylesheet once (a file of the console: the CSP allows no inline style). */
export function loadStyle(url) {
  const href = new URL(url, window.location.href).pathname;
  if (document.querySelector(`link[rel="stylesheet"][href="${CSS.escape(href)}"]`)) return;
  document.head.append(h('link', { rel: 'stylesheet', href }));
}

/** A screen's keyboard shortcuts, folded: `shortcutsNote(t('…title'), [t('…'), …])`. */
export function shortcutsNote(title, lines) {
  return h(
    'details',
    { class: 'shortcuts' },
    h('summary', null, title),
    h(
      'ul',
      null,
      lines.map((line) => h('li', null, line)),
    ),
  );
}

const loaded = new Map();

/** Loads a same-origin script once (vendor libraries: `/vendor/chart.umd.js`). */
export function loadScript(src) {
  if (!loaded.has(src)) {
    loaded.set(
      src,
      new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = src;
        script.onload = () => resolve();
        script.onerror = () => {
          loaded.delete(src);
          reject(new Error(`could not load ${src}`));
        };
        document.head.append(script);
      }),
    );
  }
  return loaded.get(src);
}

export function debounce(fn, ms) {
  let timer = null;
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}
