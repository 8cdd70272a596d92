// The console's words in Chinese (the default) and English. Every visible string goes through t(); each page
// module adds its own messages under its prefix (operator., provider., …) with addMessages at load.
const LANGUAGE_KEY = 'linli.console.language';
export const LANGUAGES = ['zh-CN', 'en'];

const messages = { 'zh-CN': {}, en: {} };
const listeners = new Set();
let current = readLanguage();

function readLanguage() {
  try {
    const stored = window.localStorage.getItem(LANGUAGE_KEY);
    if (LANGUAGES.includes(stored)) return stored;
  } catch {
    // storage refused (private mode): Chinese, the default
  }
  return 'zh-CN';
}

function merge(target, source) {
  for (const [key, value] of Object.entries(source)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      target[key] = merge(target[key] && typeof target[key] === 'object' ? target[key] : {}, value);
    } else {
      target[key] = value;
    }
  }
  return target;
}

/** Adds messages: `{ 'zh-CN': { operator: { title: '…' } }, en: { … } }`. */
export function addMessages(byLanguage) {
  for (const language of LANGUAGES) {
    if (byLanguage[language]) merge(messages[language], byLanguage[language]);
  }
}

function lookup(language, key) {
  let node = messages[language];
  for (const part of key.split('.')) {
    if (node === undefined || node === null) return undefined;
    node = node[part];
  }
  return node;
}

/** The text for a dotted key in the current language (Chinese when English lacks it), `{name}` filled in. */
export function t(key, params) {
  let text = lookup(current, key);
  if (text === undefined) text = lookup('zh-CN', key);
  if (typeof text !== 'string') return key;
  return text.replace(/\{(\w+)\}/g, (_, name) =>
    String(params && params[name] !== undefined && params[name] !== null ? params[name] : ''),
  );
}

/** True when the key has a text (to show a code's name when there is one, else the code). */
export function has(key) {
  return typeof lookup(current, key) === 'string' || typeof lookup('zh-CN', key) === 'string';
}

/** t(key) when the key exists, else the fallback (a code the console has no name for). */
export function tOr(key, fallback) {
  return has(key) ? t(key) : fallback;
}

export function language() {
  return current;
}

export function setLanguage(next) {
  if (!LANGUAGES.includes(next) || next === current) return;
  current = next;
  try {
    window.localStorage.setItem(LANGUAGE_KEY, next);
  } catch {
    // not kept: the switch still applies to this tab
  }
  document.documentElement.lang = next;
  for (const listener of listeners) listener(next);
}

/** Called after every language switch; returns a function that stops it. */
export function onLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
