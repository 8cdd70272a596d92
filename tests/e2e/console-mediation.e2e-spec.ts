// The mediator's console in headless Chromium: a case the mediator holds is on their main screen (#/cases); on its
// page they schedule a session, which the week calendar (#/sessions) shows on its day; they record the session held
// and the agreement, and the case reads agreed with its follow-up planned. Screenshots of the cases and calendar.
import type { Browser, Page } from 'playwright-core';
import {
  ROLE_HOME,
  axeViolations,
  describeViolations,
  launchBrowser,
  pageErrors,
  screenshot,
  signedInPage,
  startConsolePlatform,
  waitForRoute,
  type ConsolePlatform,
  type ConsoleUser,
} from './support/console';
import { DAY_MS, XIANXIA_ROAD, callWithToken, localDate, uniquePhone } from './support/linli';

describe('the mediator console', () => {
  let platform: ConsolePlatform;
  let browser: Browser;
  let mediator: ConsoleUser;
  let page: Page;
  let token: string;
  /** The case the first test takes to an agreement, and the week of its session. */
  let agreedCaseId: string;
  let sessionWeekDay: string;

  /** A neighbours' case the mediator opens: theirs at once (assigned), as when dispatch hands them a dispute. */
  async function myCase(): Promise<string> {
    const opened = await callWithToken(platform.gateway, 'POST', '/api/mediation/cases', token, {
      caseType: 'neighbour',
      communityCode: XIANXIA_ROAD,
      description: '楼上装修噪音，邻里协商未果',
      parties: [
        { role: 'applicant', name: '王秀英', phone: uniquePhone() },
        { role: 'respondent', name: '李建国', phone: uniquePhone() },
      ],
    });
    expect(opened.status).toBe(201);
    expect(opened.body.status).toBe('assigned');
    return opened.body.caseId as string;
  }

  beforeAll(async () => {
    platform = await startConsolePlatform({ services: ['mediation', 'dispatch'] });
    [mediator, browser] = await Promise.all([platform.users.forRole('mediator'), launchBrowser()]);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('shows my case, schedules a session that the calendar shows, records it held and the agreement', async () => {
    token = await platform.tokenOf(mediator.username, mediator.password);
    const caseId = await myCase();
    agreedCaseId = caseId;

    page = await signedInPage(browser, platform.url, mediator.username, mediator.password);
    await waitForRoute(page, ROLE_HOME.mediator);
    const row = page.locator(`#cases tr[data-case-id="${caseId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('assigned');
    await screenshot(page, 'mediator-cases');

    // The case page: parties whole for the mediator holding it.
    await row.click();
    await waitForRoute(page, `/cases/${caseId}`);
    await page.waitForSelector('#case-status[data-status="assigned"]');
    expect(await page.locator('#case-parties').innerText()).toContain('王秀英');

    // Tomorrow 10:00 in China.
    const day = localDate(new Date(Date.now() + DAY_MS));
    sessionWeekDay = day;
    await page.fill('#session-when', `${day}T10:00`);
    await page.fill('#session-place', '宁海路街道调解室');
    await page.click('#session-submit');
    const session = page.locator('#case-sessions li[data-status="scheduled"]');
    await session.waitFor();
    await page.waitForSelector('#case-status[data-status="in-mediation"]');
    const sessionId = (await session.getAttribute('data-session-id')) as string;

    // The calendar of that week has it on its day; the days move with the arrow keys.
    await page.click(`[data-calendar-link="${sessionId}"]`);
    await waitForRoute(page, '/sessions');
    const entry = page.locator(
      `#session-calendar [data-case-id="${caseId}"][data-session-id="${sessionId}"]`,
    );
    await entry.waitFor();
    const cell = page.locator(`#session-calendar [role=gridcell][data-date="${day}"]`);
    expect(await cell.locator(`[data-case-id="${caseId}"]`).count()).toBe(1);
    await cell.focus();
    await page.keyboard.press('Home');
    // Runs in the page: this file is compiled without the DOM's types, hence globalThis.
    const focused = await page.evaluate(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      () => (globalThis as any).document.activeElement?.getAttribute('data-date') as string | undefined,
    );
    expect(focused).toBe(
      await page.locator('#session-calendar [role=gridcell]').first().getAttribute('data-date'),
    );
    await screenshot(page, 'mediator-sessions');

    // Back on the case: the session held (everyone present), then the agreement.
    await entry.locator('a').click();
    await waitForRoute(page, `/cases/${caseId}`);
    await page.click(`#case-sessions li[data-session-id="${sessionId}"] [data-action="record"]`);
    await page.fill(`#record-${sessionId}-minutes`, '双方陈述事实，调解员释法说理');
    await page.click(`#case-sessions li[data-session-id="${sessionId}"] form button[type=submit]`);
    await page.waitForSelector(`#case-sessions li[data-session-id="${sessionId}"][data-status="held"]`);

    await page.selectOption('#outcome-kind', 'agreement');
    await page.fill('#outcome-reason', '双方自愿达成协议');
    await page.fill('#outcome-agreement', '楼上住户晚十点后停止装修');
    await page.fill('#term-0-text', '晚十点后不施工');
    await page.click('#outcome-submit');
    await page.waitForSelector('#case-outcome[data-kind="agreement"]');
    await page.waitForSelector('#case-status[data-status="agreed"]');
    expect(await page.locator('#case-follow-ups li').count()).toBeGreaterThan(0);
    pageErrors(page).assertNone('the mediator console');
  });

  it('has no serious accessibility violations on my cases, a case, its forms and the calendar', async () => {
    const fresh = await myCase();
    // axe is injected as a script: a page of its own, past the CSP (the pages above ran under it).
    const checked = await signedInPage(browser, platform.url, mediator.username, mediator.password, {
      bypassCSP: true,
    });
    const go = (hash: string) =>
      checked.evaluate((target) => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        (globalThis as any).location.hash = target;
      }, hash);
    try {
      await waitForRoute(checked, ROLE_HOME.mediator);
      await checked.waitForSelector(`#cases tr[data-case-id="${fresh}"]`);
      const screens: [string, string][] = [['cases', describeViolations(await axeViolations(checked))]];
      await go(`#/cases/${fresh}`);
      await checked.waitForSelector('#session-form');
      screens.push(['case with its session form', describeViolations(await axeViolations(checked))]);
      await go(`#/cases/${agreedCaseId}`);
      await checked.waitForSelector('#case-outcome');
      screens.push(['agreed case', describeViolations(await axeViolations(checked))]);
      await go(`#/sessions?week=${sessionWeekDay}`);
      await checked.waitForSelector(`#session-calendar [data-case-id="${agreedCaseId}"]`);
      screens.push(['calendar', describeViolations(await axeViolations(checked))]);
      expect(screens).toEqual([
        ['cases', ''],
        ['case with its session form', ''],
        ['agreed case', ''],
        ['calendar', ''],
      ]);
      pageErrors(checked).assertNone('the mediator console (axe)');
    } finally {
      await checked.context().close();
    }
  });
});
