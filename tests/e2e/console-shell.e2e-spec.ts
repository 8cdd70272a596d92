// The console's shell in headless chromium: each role signs in through the form and lands on its main screen (its
// screenshot saved), the language switch turns the interface English and back, sign-out returns to the form, the
// keyboard reaches the forms' fields in their order, axe-core finds no serious or critical violation on the sign-in
// page and on each role's main screen, and no page logs an error or a Content-Security-Policy violation.
//
// A role whose screens are not in the repository yet (no js/pages/<role>/routes.js) lands on its account page, as
// the router does for a role without a main screen; its test checks that and says so in its name.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  CONSOLE_ROLES,
  ROLE_HOME,
  axeViolations,
  describeViolations,
  launchBrowser,
  openConsole,
  pageErrors,
  screenshot,
  settled,
  heading,
  signInThroughForm,
  signedInPage,
  startConsolePlatform,
  waitForRoute,
  type ConsolePlatform,
  type ConsoleRole,
  type ConsoleUser,
} from './support/console';
import { eventually } from './support/linli';

// A browser, eight services and the infrastructure on two cores: a role's screen, signed in twice, takes its time.
jest.setTimeout(240_000);

const pagesDir = join(__dirname, '..', '..', 'services', 'gateway', 'console', 'js', 'pages');
const hasScreens = (role: ConsoleRole) => existsSync(join(pagesDir, role, 'routes.js'));
/** Where a role lands: its main screen once its pages exist, its account page until then. */
const landing = (role: ConsoleRole) => (hasScreens(role) ? ROLE_HOME[role] : '/account');

/** What the functions run in the page read of it (this file is compiled without the DOM's types). */
interface DomElement {
  id: string;
  tagName: string;
  textContent: string | null;
  disabled?: boolean;
  tabIndex: number;
  type?: string;
  offsetParent: unknown;
}
interface Dom {
  document: {
    activeElement: DomElement | null;
    documentElement: { lang: string };
    getElementById(id: string): DomElement | null;
    querySelector(selector: string): DomElement | null;
    querySelectorAll(selector: string): ArrayLike<DomElement>;
    createElement(tag: string): DomElement;
    body: { append(element: DomElement): void };
  };
}

let platform: ConsolePlatform;
let browser: Browser;
const users = {} as Record<ConsoleRole, ConsoleUser>;
const pages: Page[] = [];

/** A role's page signed in, its errors collected; a missing role module's 404 is expected while it is missing. */
async function signedIn(role: ConsoleRole, options: { bypassCSP?: boolean } = {}): Promise<Page> {
  const user = users[role];
  const page = await signedInPage(browser, platform.url, user.username, user.password, options);
  pages.push(page);
  for (const other of CONSOLE_ROLES.filter((r) => !hasScreens(r)))
    pageErrors(page).allow(new RegExp(`^HTTP 404 GET /js/pages/${other}/routes\\.js$`));
  return page;
}

/** The ids (or tag names) of the elements focused by pressing Tab `count` times from where focus is. */
async function tabThrough(page: Page, count: number): Promise<string[]> {
  const reached: string[] = [];
  for (let i = 0; i < count; i++) {
    await page.keyboard.press('Tab');
    reached.push(
      await page.evaluate(() => {
        const active = (globalThis as unknown as Dom).document.activeElement;
        return active ? active.id || active.tagName.toLowerCase() : '';
      }),
    );
  }
  return reached;
}

/** The fields and buttons of a form a user can Tab to, in document order: ids (every one must have one). */
function focusableIdsIn(page: Page, form: string): Promise<string[]> {
  return page.$$eval(
    `${form} :is(input, select, textarea, button, a[href], [tabindex])`,
    (elements: unknown[]) =>
      (elements as DomElement[])
        .filter(
          (el: DomElement) =>
            !el.disabled && el.tabIndex >= 0 && el.type !== 'hidden' && el.offsetParent !== null,
        )
        .map((el: DomElement) => el.id || `(${el.tagName.toLowerCase()} without id)`),
  );
}

beforeAll(async () => {
  // The browser first: afterAll closes it even when a service does not start.
  browser = await launchBrowser();
  platform = await startConsolePlatform();
  const created = await Promise.all(CONSOLE_ROLES.map((role) => platform.users.forRole(role)));
  CONSOLE_ROLES.forEach((role, i) => (users[role] = created[i] as ConsoleUser));
}, 360_000);

afterEach(async () => {
  await Promise.all(pages.splice(0).map((page) => page.context().close()));
});

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

describe('the sign-in page', () => {
  it('labels its fields, takes them in order from the keyboard, and says so when the password is wrong', async () => {
    const page = await openConsole(browser, platform.url);
    pages.push(page);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.getByLabel('用户名').getAttribute('id')).toBe('username');
    expect(await page.getByLabel('密码').getAttribute('id')).toBe('password');

    // From the top of the page: the skip link, the header's language switch, then the form's fields in order.
    const reached = await tabThrough(page, 6);
    const start = reached.indexOf('username');
    expect(start).toBeGreaterThan(-1);
    expect(reached.slice(start, start + 3)).toEqual(['username', 'password', 'sign-in-button']);

    await page.fill('#username', users.operator.username);
    await page.fill('#password', 'not-the-password');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () =>
        (globalThis as unknown as Dom).document.getElementById('status')?.textContent ===
        '用户名或密码不正确。',
    );
    expect(await page.isVisible('#sign-in-button')).toBe(true);
    expect(await page.evaluate(() => (globalThis as unknown as Dom).document.activeElement?.id)).toBe(
      'password',
    );
    pageErrors(page).assertNone('the sign-in page');
  });

  it('has no serious or critical accessibility violation (axe-core)', async () => {
    const page = await openConsole(browser, platform.url, { bypassCSP: true });
    pages.push(page);
    const violations = await axeViolations(page);
    expect(describeViolations(violations)).toBe('');
  });

  it('reports a Content-Security-Policy violation as a page error (the check below is not vacuous)', async () => {
    const page = await openConsole(browser, platform.url);
    pages.push(page);
    await page.evaluate(() => {
      const { document } = globalThis as unknown as Dom;
      const script = document.createElement('script');
      script.textContent = 'document.title = "inline"';
      document.body.append(script);
    });
    const reported = await eventually('the violation reported', async () =>
      pageErrors(page)
        .list()
        .find((line) => /Content Security Policy/.test(line)),
    );
    expect(reported).toMatch(
      /^console error: .*inline script.*Content Security Policy directive 'script-src/,
    );
    expect(await page.title()).not.toBe('inline');
  });
});

describe.each(CONSOLE_ROLES)('the %s', (role) => {
  it(`signs in and lands on ${hasScreens(role) ? 'the main screen' : 'the account page (no screens yet)'}, with no page error and no serious accessibility violation`, async () => {
    const page = await signedIn(role);
    const title = await waitForRoute(page, landing(role));
    expect(title).not.toBe('');
    expect(await page.isVisible('#sign-out')).toBe(true);
    // The screen has settled (its first requests answered) before it is pictured and judged.
    await settled(page);
    await screenshot(page, `${role}-home`);
    pageErrors(page).assertNone(`the ${role}'s main screen`);

    const axePage = await signedIn(role, { bypassCSP: true });
    await waitForRoute(axePage, landing(role));
    await settled(axePage);
    expect(describeViolations(await axeViolations(axePage))).toBe('');
  });
});

describe('the shell', () => {
  it('switches to English and back (button and Alt+L), then signs out to the sign-in form', async () => {
    const role: ConsoleRole = 'operator';
    const page = await signedIn(role);
    const chineseTitle = await waitForRoute(page, landing(role));
    expect(await page.innerText('#language')).toBe('English');

    await page.click('#language');
    await page.waitForFunction(() => (globalThis as unknown as Dom).document.documentElement.lang === 'en');
    await page.waitForFunction(
      (before) =>
        Array.from((globalThis as unknown as Dom).document.querySelectorAll('main h1'))
          .find((h1) => h1.offsetParent !== null)
          ?.textContent?.trim() !== before,
      chineseTitle,
    );
    const englishTitle = await heading(page);
    expect(englishTitle).toMatch(/^[\x20-\x7e’]+$/); // an English heading: no Chinese left in it
    expect(await page.innerText('#language')).toBe('中文');
    expect(await page.innerText('#sign-out')).toBe('Sign out');

    await page.keyboard.press('Alt+L');
    await page.waitForFunction(
      () => (globalThis as unknown as Dom).document.documentElement.lang === 'zh-CN',
    );
    await page.waitForFunction(
      (before) =>
        Array.from((globalThis as unknown as Dom).document.querySelectorAll('main h1'))
          .find((h1) => h1.offsetParent !== null)
          ?.textContent?.trim() === before,
      chineseTitle,
    );
    expect(await page.innerText('#language')).toBe('English');

    await page.click('#sign-out');
    await page.waitForSelector('#sign-in-button', { state: 'visible' });
    expect(await page.isHidden('#sign-out')).toBe(true);
    await page.waitForFunction(
      () =>
        (globalThis as unknown as Dom).document.getElementById('status')?.textContent === '您已退出登录。',
    );
    // Signed out for good: a reload shows the form again, not the screen.
    await page.reload();
    await page.waitForSelector('#username', { state: 'visible' });
    expect(await page.isHidden('#sign-out')).toBe(true);
    pageErrors(page).assertNone('the shell');
  });

  it('signs in again in the same tab after signing out', async () => {
    const page = await signedIn('supervisor');
    await waitForRoute(page, landing('supervisor'));
    await page.click('#sign-out');
    await page.waitForSelector('#sign-in-button', { state: 'visible' });
    await signInThroughForm(page, users.coordinator.username, users.coordinator.password);
    await waitForRoute(page, landing('coordinator'));
    pageErrors(page).assertNone('signing in twice');
  });

  const operatorForm = hasScreens('operator') ? it : it.skip;
  operatorForm('takes the new-ticket form from the keyboard: Tab reaches every field in order', async () => {
    const page = await signedIn('operator');
    await waitForRoute(page, ROLE_HOME.operator);
    await page.waitForSelector('form#ticket-form');
    const fields = await focusableIdsIn(page, 'form#ticket-form');
    expect(fields).toEqual(
      expect.arrayContaining(['ticket-description', 'ticket-category', 'ticket-phone', 'ticket-submit']),
    );
    await page.focus(`#${fields[0]}`);
    const reached = [fields[0] as string, ...(await tabThrough(page, fields.length - 1))];
    expect(reached).toEqual(fields);
    // The contract's fields come in the order an operator fills them in on the phone.
    const contract = [
      'ticket-description',
      'ticket-category',
      'ticket-phone',
      'ticket-name',
      'ticket-community',
      'ticket-address',
      'ticket-channel',
      'ticket-submit',
    ].filter((id) => fields.includes(id));
    expect(reached.filter((id) => contract.includes(id))).toEqual(contract);
    pageErrors(page).assertNone('the new-ticket form');
  });
});
