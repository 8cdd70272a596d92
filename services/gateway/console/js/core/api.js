// Calls to the platform through the gateway, as the signed-in user. Tokens live in this tab's sessionStorage (gone
// when the tab closes); an expired access token is renewed once with the refresh token (rotated on every use, so
// concurrent renewals share one request). Problems (RFC 9457) become ApiError with the fields at fault.
const TOKENS_KEY = 'linli.console.tokens';

let tokens = readTokens();
let user = null;
let refreshing = null;
const signedOutListeners = new Set();

function readTokens() {
  try {
    return JSON.parse(window.sessionStorage.getItem(TOKENS_KEY) || 'null');
  } catch {
    return null;
  }
}

function keepTokens(next) {
  tokens = next;
  try {
    if (next) window.sessionStorage.setItem(TOKENS_KEY, JSON.stringify(next));
    else window.sessionStorage.removeItem(TOKENS_KEY);
  } catch {
    // storage refused: the session lasts as long as this page
  }
}

/** A refused request, with the problem's fields at fault (`[{ field, message }]`). */
export class ApiError extends Error {
  constructor(status, problem, headers) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem || {};
    this.fieldErrors = Array.isArray(this.problem.errors) ? this.problem.errors : [];
    this.retryAfter = headers ? headers.get('retry-after') : null;
    this.correlationId = this.problem.correlationId || (headers && headers.get('x-correlation-id')) || null;
  }
}

/** The network failed (the gateway unreachable): distinct from a refusal. */
export class NetworkError extends Error {
  constructor(cause) {
    super('network');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

function urlOf(service, path, query) {
  const base = service ? `/api/${service}` : '';
  const url = new URL(base + path, window.location.origin);
  if (query) {
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === null || value === '') continue;
      if (Array.isArray(value)) {
        for (const item of value) url.searchParams.append(key, String(item));
      } else {
        url.searchParams.set(key, String(value));
      }
    }
  }
  return url.pathname + url.search;
}

async function send(method, url, { body, signal, accept = 'application/json', token, idempotencyKey } = {}) {
  const headers = { accept };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  try {
    return await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      signal,
    });
  } catch (error) {
    if (error && error.name === 'AbortError') throw error;
    throw new NetworkError(error);
  }
}

async function parse(response) {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Renews the access token once for everyone waiting; false when the session is over. */
async function refresh() {
  if (!tokens || !tokens.refreshToken) return false;
  if (!refreshing) {
    const used = tokens.refreshToken;
    refreshing = (async () => {
      const response = await send('POST', '/auth/refresh', { body: { refreshToken: used } });
      if (response.status !== 200) return false;
      keepTokens(await parse(response));
      return true;
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

function endSession() {
  keepTokens(null);
  user = null;
  for (const listener of signedOutListeners) listener();
}

/** A request with the user's token; a 401 renews the token once, then ends the session. */
export async function request(method, url, options = {}) {
  let response = await send(method, url, { ...options, token: tokens && tokens.accessToken });
  if (response.status === 401 && tokens) {
    if (await refresh()) {
      response = await send(method, url, { ...options, token: tokens.accessToken });
    }
    if (response.status === 401) endSession();
  }
  return response;
}

/**
 * `api('resident-requests', '/tickets', { query: { status: ['open'] } })`: the parsed JSON answer (undefined for
 * 204); a refusal throws ApiError. `service` null for the gateway's own routes (/me, /users, /audit).
 * `idempotencyKey` goes out as the Idempotency-Key header of a create (see creationIntent).
 */
export async function api(service, path, { method = 'GET', query, body, signal, idempotencyKey } = {}) {
  const response = await request(method, urlOf(service, path, query), { body, signal, idempotencyKey });
  const parsed = await parse(response);
  if (!response.ok)
    throw new ApiError(response.status, typeof parsed === 'object' ? parsed : null, response.headers);
  return parsed;
}

function randomKey() {
  // randomUUID exists only in secure contexts (https, localhost); a console on plain http still gets 128 random bits.
  if (window.crypto.randomUUID) return window.crypto.randomUUID();
  return Array.from(window.crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
}

/**
 * One Idempotency-Key per intended creation (ADR 0035): the same key on every retry and double click of a form, so a
 * create the platform stored but whose answer was lost is not made twice. `settle(error)` after each attempt: a
 * success or a refusal (4xx: nothing was created) starts a new intent; a network failure or a 5xx keeps the key,
 * since the create may have happened.
 */
export function creationIntent() {
  let key = null;
  return {
    key() {
      if (!key) key = randomKey();
      return key;
    },
    settle(error) {
      if (!error || (error instanceof ApiError && error.status < 500)) key = null;
    },
  };
}

/** A file answer (an export): `{ blob, filename }`. */
export async function apiFile(service, path, { method = 'GET', query, body, accept = '*/*' } = {}) {
  const response = await request(method, urlOf(service, path, query), { body, accept });
  if (!response.ok) {
    const parsed = await parse(response);
    throw new ApiError(response.status, typeof parsed === 'object' ? parsed : null, response.headers);
  }
  const disposition = response.headers.get('content-disposition') || '';
  const match = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(disposition);
  const filename = match ? decodeURIComponent(match[1] || match[2]) : 'export';
  return { blob: await response.blob(), filename };
}

/** Saves a blob as a download. */
export function downloadBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Signs in (POST /auth/login); the user, or throws ApiError (401 wrong, 423 locked, 429 too many). */
export async function signIn(username, password) {
  const response = await send('POST', '/auth/login', { body: { username, password } });
  const parsed = await parse(response);
  if (response.status !== 200) throw new ApiError(response.status, parsed, response.headers);
  keepTokens(parsed);
  return loadSession();
}

/** Who is signed in (GET /me), or null when nobody is or the session has ended. */
export async function loadSession() {
  if (!tokens) return null;
  try {
    user = await api(null, '/me');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
  return user;
}

/** The signed-in user as last loaded: `{ username, displayName, roles, jurisdiction, providerId? }`. */
export function session() {
  return user ? { user } : null;
}

export async function signOut() {
  const token = tokens && tokens.accessToken;
  try {
    if (token) await send('POST', '/auth/logout', { token });
  } catch {
    // signed out here whatever the network says: the access token expires soon anyway
  }
  endSession();
}

/** The current access token (for the live stream), renewed first when asked. */
export async function accessToken({ renew = false } = {}) {
  if (renew && !(await refresh())) {
    endSession();
    return null;
  }
  return tokens ? tokens.accessToken : null;
}

export function onSignedOut(listener) {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}
