// The console (services/gateway/console) in a real browser: Debian's chromium driven by playwright-core, against the
// gateway and the services it routes to, all started by the test file.
//
// What a console test uses (each is documented where it is defined):
//
//   const platform = await startConsolePlatform();            // beforeAll (give it 300 s); platform.stop() after
//   platform.url                                              // the gateway: the console is served at `${url}/`
//   const op = await platform.users.forRole('operator');       // { username, password, roles, jurisdiction }
//   const prov = await platform.users.forRole('provider');     // also registered in dispatch: prov.providerId
//   await platform.users.createUser({ username, roles, jurisdiction, providerId? })  // → the password
//   await registerConsoleProvider(platform, overrides) / registerConsoleMediator(platform, overrides)  // dispatch
//   platform.services['dispatch'] …                           // each service's process, to call its API directly
//   await platform.tokenOf(username, password)                 // the user's gateway access token (API calls)
//
//   const browser = await launchBrowser();                     // beforeAll, before the platform (so afterAll
//                                                              // closes it even when a service fails to start)
//   const page = await signedInPage(browser, platform.url, op.username, op.password);  // through the sign-in form
//   await waitForRoute(page, ROLE_HOME.operator);              // '#/tickets/new' reached; its visible h1's text
//   await settled(page);                                       // its requests answered (not 'networkidle':
//                                                              // the live stream never ends)
//   await screenshot(page, 'operator-new-ticket');             // tmp/screenshots/operator-new-ticket.png
//   pageErrors(page).assertNone();                             // no console error, page error, CSP violation,
//                                                              // failed asset, nor 5xx answer since it opened
//   await axeViolations(page)                                  // serious/critical axe-core violations; needs a page
//                                                              // opened with { bypassCSP: true } (axe is injected)
//
// Pages keep the stable ids and data-* attributes of /work/brief/api.md (sign-in: #username, #password,
// #sign-in-button). Every page opens in a browser context of its own: two users side by side do not share a session.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { ServiceProcess } from '@linli/testing';
import {
  GATEWAY_ADMIN_PASSWORD,
  GULOU,
  callWithToken,
  registerMediator,
  registerProvider,
  signIn,
  startGatewayPlatform,
  type GatewayPlatform,
  type Platform,
} from './linli';

const repositoryRoot = join(__dirname, '..', '..', '..');

/** Where each role lands after signing in (api.md), as the hash path without '#'. */
export const ROLE_HOME = {
  operator: '/tickets/new',
  provider: '/jobs/offered',
  coordinator: '/incidents',
  mediator: '/cases',
  supervisor: '/dashboard',
} as const;
export type ConsoleRole = keyof typeof ROLE_HOME;
export const CONSOLE_ROLES = Object.keys(ROLE_HOME) as ConsoleRole[];

/** Every service a console flow reaches through the gateway; insights once it exists in the repository. */
export function consoleServiceNames(): string[] {
  const names = ['resident-requests', 'dispatch', 'elder-care', 'mediation', 'emergency', 'notifications'];
  if (existsSync(join(repositoryRoot, 'services', 'insights', 'src', 'main.ts'))) names.push('insights');
  return names;
}

// ---- the platform ---------------------------------------------------------------------------------------------

export interface NewConsoleUser {
  username: string;
  roles: string[];
  jurisdiction: string;
  providerId?: string;
  displayName?: string;
  /** Generated when not given. */
  password?: string;
}

export interface ConsoleUser {
  username: string;
  password: string;
  roles: string[];
  jurisdiction: string;
  providerId?: string;
}

export interface ConsoleUsers {
  /** Creates a gateway user through its admin API (POST /users, as the bootstrap admin); its password. */
  createUser(user: NewConsoleUser): Promise<string>;
  /**
   * A fresh user of one role in Gulou (unless `overrides` say otherwise). A provider is first registered in dispatch
   * as a community repair team, a mediator as a people's mediation committee (skill mediation); the user acts for it.
   */
  forRole(role: ConsoleRole, overrides?: Partial<NewConsoleUser>): Promise<ConsoleUser>;
}

export interface ConsolePlatform extends GatewayPlatform {
  /** The gateway's base URL (the console is at `${url}/`). */
  url: string;
  users: ConsoleUsers;
  /** Signs in at the gateway's API (not the browser): the access token. */
  tokenOf(username: string, password: string): Promise<string>;
}

export interface ConsolePlatformOptions {
  /** The services behind the gateway; every console service (consoleServiceNames()) unless told. */
  services?: readonly string[];
  /** For every process. */
  env?: NodeJS.ProcessEnv;
  /** For the gateway only. */
  gatewayEnv?: NodeJS.ProcessEnv;
  /** How long each process may take to be ready: 240 s unless told (eight start at once on two shared cores). */
  readyTimeoutMs?: number;
}

/**
 * The gateway and the services of the console, in this test file's namespace, with its bootstrap admin (`admin`,
 * GATEWAY_ADMIN_PASSWORD). The edge's rate limits are raised: one test browser signs many users in from one address
 * and its pages refetch on every live notice.
 */
export async function startConsolePlatform(options: ConsolePlatformOptions = {}): Promise<ConsolePlatform> {
  const platform = await startGatewayPlatform(
    options.services ?? consoleServiceNames(),
    options.env ?? {},
    {
      LOGIN_RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '10000',
      RATE_LIMIT_PER_USER_PER_MINUTE: '100000',
      RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '100000',
      ...options.gatewayEnv,
    },
    options.readyTimeoutMs ?? 240_000,
  );
  const { gateway } = platform;
  const tokenOf = async (username: string, password: string): Promise<string> =>
    (await signIn(gateway, username, password)).accessToken as string;

  // The admin's token is taken again when it is refused (it lasts 15 minutes; a long file may outlive it).
  let adminToken: string | undefined;
  const asAdmin = async (method: string, path: string, body: unknown) => {
    adminToken ??= await tokenOf('admin', GATEWAY_ADMIN_PASSWORD);
    let reply = await callWithToken(gateway, method, path, adminToken, body);
    if (reply.status === 401) {
      adminToken = await tokenOf('admin', GATEWAY_ADMIN_PASSWORD);
      reply = await callWithToken(gateway, method, path, adminToken, body);
    }
    return reply;
  };

  const createUser = async (user: NewConsoleUser): Promise<string> => {
    const password = user.password ?? `pw-${randomBytes(9).toString('base64url')}`;
    const { password: _given, ...fields } = user;
    void _given;
    const reply = await asAdmin('POST', '/users', {
      displayName: `${user.username} (e2e)`,
      ...fields,
      password,
    });
    if (reply.status !== 201)
      throw new Error(`user ${user.username} not created: ${reply.status} ${JSON.stringify(reply.body)}`);
    return password;
  };

  const forRole = async (
    role: ConsoleRole,
    overrides: Partial<NewConsoleUser> = {},
  ): Promise<ConsoleUser> => {
    const username = overrides.username ?? uniqueUsername(role);
    let providerId = overrides.providerId;
    if (!providerId && role === 'provider') providerId = (await registerConsoleProvider(platform)).providerId;
    if (!providerId && role === 'mediator') providerId = (await registerConsoleMediator(platform)).providerId;
    const user = {
      roles: [role],
      jurisdiction: GULOU,
      ...overrides,
      username,
      ...(providerId ? { providerId } : {}),
    };
    const password = await createUser(user);
    return {
      username,
      password,
      roles: user.roles,
      jurisdiction: user.jurisdiction,
      ...(providerId ? { providerId } : {}),
    };
  };

  return { ...platform, url: gateway.url, users: { createUser, forRole }, tokenOf };
}

let usernames = 0;
/** A username never given before in this process: lowercase, from a letter (the gateway's USERNAME_PATTERN). */
export function uniqueUsername(prefix: string): string {
  usernames += 1;
  return `${prefix}-${Date.now().toString(36)}-${usernames}`.toLowerCase();
}

/** linli.ts's helpers want resident-requests and dispatch by these names. */
function asPlatform(platform: GatewayPlatform): Platform {
  const { services } = platform;
  const requests = services['resident-requests'] as ServiceProcess;
  const dispatch = services['dispatch'] as ServiceProcess;
  if (!dispatch) throw new Error('dispatch is not running behind this gateway');
  return { requests, dispatch, stop: platform.stop };
}

/** A provider in dispatch (a community repair team of Gulou unless `overrides` say otherwise, as linli.ts's). */
export function registerConsoleProvider(
  platform: GatewayPlatform,
  overrides: Record<string, unknown> = {},
): Promise<{ providerId: string }> {
  return registerProvider(asPlatform(platform), overrides);
}

/** A mediator in dispatch (skill mediation, serving Gulou unless `overrides` say otherwise, as linli.ts's). */
export function registerConsoleMediator(
  platform: GatewayPlatform,
  overrides: Record<string, unknown> = {},
): Promise<{ providerId: string }> {
  return registerMediator(asPlatform(platform), overrides);
}

// ---- the browser ----------------------------------------------------------------------------------------------

/** CHROMIUM_PATH, or Debian's chromium (deploy/local/install-prereqs.sh installs it). */
export function chromiumPath(): string {
  return process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
}

/**
 * Headless chromium (no browser is ever downloaded: playwright-core drives the system's). Root (a container, CI)
 * cannot use chromium's sandbox. One per test file; close it in afterAll.
 */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath))
    throw new Error(
      `no chromium at ${executablePath}: run deploy/local/install-prereqs.sh or set CHROMIUM_PATH`,
    );
  const args = ['--disable-dev-shm-usage'];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return chromium.launch({ executablePath, headless: true, args });
}

export interface PageOptions {
  /** For an axe-core run only: lets the test inject axe past the console's Content-Security-Policy. */
  bypassCSP?: boolean;
  /** The console's language follows the browser's unless switched; zh-CN (the default) unless told. */
  locale?: string;
  viewport?: { width: number; height: number };
}

/** Actions and waits of a page: every process shares two cores with the services. */
const PAGE_TIMEOUT_MS = 45_000;

async function newContext(browser: Browser, options: PageOptions): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale: options.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: options.viewport ?? { width: 1366, height: 768 },
    bypassCSP: options.bypassCSP ?? false,
  });
  context.setDefaultTimeout(PAGE_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(PAGE_TIMEOUT_MS);
  return context;
}

/**
 * The console's sign-in page in a browser context of its own, its errors collected (see pageErrors). Close it with
 * `page.context().close()` (or close the browser).
 */
export async function openConsole(
  browser: Browser,
  gatewayUrl: string,
  options: PageOptions = {},
): Promise<Page> {
  const context = await newContext(browser, options);
  const page = await context.newPage();
  trackPageErrors(page);
  inFlightOf(page);
  await page.goto(`${gatewayUrl}/`);
  await page.waitForSelector('#username');
  return page;
}

/**
 * A page signed in through the console's form (#username, #password, #sign-in-button). Resolves once the form is
 * gone (the console shows the user's main screen); a refused sign-in throws with the message the page shows.
 */
export async function signedInPage(
  browser: Browser,
  gatewayUrl: string,
  username: string,
  password: string,
  options: PageOptions = {},
): Promise<Page> {
  const page = await openConsole(browser, gatewayUrl, options);
  await signInThroughForm(page, username, password);
  return page;
}

/** Fills the sign-in form of an open console page and waits until it is gone. */
export async function signInThroughForm(page: Page, username: string, password: string): Promise<void> {
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#sign-in-button');
  try {
    await page.waitForSelector('#sign-in-button', { state: 'hidden' });
  } catch (error) {
    const shown = await page
      .locator('[role=status], [role=alert]')
      .allInnerTexts()
      .catch(() => []);
    throw new Error(
      `${username} did not get past the sign-in form (page says: ${JSON.stringify(shown.join(' ').trim())}): ${String(error)}`,
    );
  }
}

/**
 * Waits until the console shows `path` (a hash route such as '/tickets/new', or a prefix of one such as
 * '/tickets/') and its h1 is visible; the h1's text.
 */
export async function waitForRoute(page: Page, path: string): Promise<string> {
  // Runs in the page: this file is compiled without the DOM's types, hence globalThis.
  await page.waitForFunction(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (hash) => (globalThis as any).location.hash.startsWith(hash),
    `#${path}`,
  );
  const h1 = page.locator('main h1:visible').first();
  await h1.waitFor({ state: 'visible' });
  return heading(page);
}

/** The text of the h1 the page shows (the hidden sign-in form's h1 stays in <main> once signed in). */
export async function heading(page: Page): Promise<string> {
  return (await page.locator('main h1:visible').first().innerText()).trim();
}

/**
 * Waits until the page has had no request in flight for half a second, the live stream (GET /live, never done)
 * aside: the screen has its data. Playwright's 'networkidle' never comes while /live is open.
 */
export async function settled(page: Page, quietMs = 500): Promise<void> {
  const inFlight = inFlightOf(page);
  let quietSince = Date.now();
  const deadline = Date.now() + PAGE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (inFlight.size > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= quietMs) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`requests still in flight after ${PAGE_TIMEOUT_MS} ms: ${[...inFlight].join(', ')}`);
}

const inFlightByPage = new WeakMap<Page, Set<string>>();
function inFlightOf(page: Page): Set<string> {
  let inFlight = inFlightByPage.get(page);
  if (inFlight) return inFlight;
  const requests = new Set<string>();
  inFlight = requests;
  inFlightByPage.set(page, requests);
  const key = (request: { method(): string; url(): string }) => `${request.method()} ${request.url()}`;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname !== '/live') requests.add(key(request));
  });
  page.on('requestfinished', (request) => requests.delete(key(request)));
  page.on('requestfailed', (request) => requests.delete(key(request)));
  return inFlight;
}

/** The page as a PNG in tmp/screenshots/<name>.png (the whole page); the file's path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const directory = join(repositoryRoot, 'tmp', 'screenshots');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// ---- what must not happen in a page -------------------------------------------------------------------------------

export interface PageErrors {
  /** Everything collected so far (minus what was allowed), one line each. */
  list(): string[];
  /** Throws with every error collected since the page opened (or the last clear) unless there are none. */
  assertNone(what?: string): void;
  /** Errors matching this are expected from now on (a test provoking a 409, say). */
  allow(pattern: RegExp): void;
  clear(): void;
}

const tracked = new WeakMap<Page, PageErrors>();

/**
 * Collects, from a page: console errors (CSP violations are reported there: "Refused to …"), uncaught exceptions
 * and rejections, static files and vendor scripts answered with an error, and any 5xx answer. An API's 4xx is the
 * page's business (a refused form), so chromium's "Failed to load resource" line for it is not an error here: a
 * missing file is caught by its answer instead.
 */
export function trackPageErrors(page: Page): PageErrors {
  const existing = tracked.get(page);
  if (existing) return existing;
  let errors: string[] = [];
  const allowed: RegExp[] = [];
  const add = (line: string) => {
    if (!allowed.some((pattern) => pattern.test(line))) errors.push(line);
  };
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
    const location = message.location();
    add(`console error: ${text}${location.url ? ` (${location.url}:${location.lineNumber})` : ''}`);
  });
  page.on('pageerror', (error) => add(`uncaught: ${error.stack ?? error.message}`));
  page.on('response', (response) => {
    const status = response.status();
    const path = new URL(response.url()).pathname;
    const isApi = path.startsWith('/api/') || /^\/(auth|me|live|users)(\/|$)/.test(path);
    if (status >= 500 || (status >= 400 && !isApi))
      add(`HTTP ${status} ${response.request().method()} ${path}`);
  });
  const collector: PageErrors = {
    list: () => [...errors],
    assertNone: (what) => {
      if (errors.length > 0) throw new Error(`${what ?? 'the page'} had errors:\n  ${errors.join('\n  ')}`);
    },
    allow: (pattern) => {
      allowed.push(pattern);
      errors = errors.filter((line) => !pattern.test(line));
    },
    clear: () => {
      errors = [];
    },
  };
  tracked.set(page, collector);
  return collector;
}

/** The error collector of a page opened by openConsole / signedInPage (or any page: tracking starts now). */
export function pageErrors(page: Page): PageErrors {
  return trackPageErrors(page);
}

// ---- accessibility --------------------------------------------------------------------------------------------

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

const AXE_SOURCE_PATH = require.resolve('axe-core/axe.min.js');
let axeSource: string | undefined;

/**
 * Runs axe-core (WCAG 2.1 A/AA rules and best practices) on what the page shows now; the violations of the given
 * impacts (serious and critical unless told). The page must come from a context with `bypassCSP: true`: axe is
 * injected as a script, which the console's CSP otherwise refuses (as it should).
 */
export async function axeViolations(
  page: Page,
  impacts: readonly string[] = ['serious', 'critical'],
): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(AXE_SOURCE_PATH, 'utf8');
  const present = await page.evaluate(() => 'axe' in globalThis);
  if (!present) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const { axe, document } = globalThis as any;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      nodes: v.nodes.map((n: any) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  return (violations as AxeViolation[]).filter((v) => v.impact !== null && impacts.includes(v.impact));
}

/** Violations as lines a failed assertion can show: rule, impact, help, and the elements at fault. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 5)
          .map((n) => n.target.join(' '))
          .join(', ')}${v.nodes.length > 5 ? ` and ${v.nodes.length - 5} more` : ''}`,
    )
    .join('\n');
}
