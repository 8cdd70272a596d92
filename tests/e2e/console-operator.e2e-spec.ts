// The hotline operator's console in headless Chromium: a ticket taken down with the keyboard and the console's
// help (category suggested from the description, the community picked by typing, the caller's open ticket shown
// while the phone is typed), landing on its page; and today's call-backs, an outcome recorded in one click.
import type { Browser, Page } from 'playwright-core';
import {
  ROLE_HOME,
  launchBrowser,
  pageErrors,
  registerConsoleProvider,
  screenshot,
  signedInPage,
  startConsolePlatform,
  waitForRoute,
  type ConsolePlatform,
  type ConsoleUser,
} from './support/console';
import {
  XIANXIA_ROAD,
  call,
  operator as gulouOperator,
  callWithToken,
  hotlineTicket,
  offeredJob,
  providerUser,
  ticketWhen,
  uniquePhone,
  type Platform,
} from './support/linli';

describe('the operator console', () => {
  let platform: ConsolePlatform;
  let services: Platform;
  let browser: Browser;
  let operator: ConsoleUser;
  let token: string;
  let page: Page;

  beforeAll(async () => {
    // resident-requests and dispatch behind the gateway: a ticket, its job, and the call-back after 1.5 s (FAST).
    platform = await startConsolePlatform({ services: ['resident-requests', 'dispatch'] });
    services = {
      requests: platform.services['resident-requests']!,
      dispatch: platform.services['dispatch']!,
      stop: platform.stop,
    };
    [operator, browser] = await Promise.all([platform.users.forRole('operator'), launchBrowser()]);
    token = await platform.tokenOf(operator.username, operator.password);
    page = await signedInPage(browser, platform.url, operator.username, operator.password);
    // Another role's screens, while they are still being written, are not the operator's concern (the console
    // leaves a module that does not load out); the operator's own would fail every step below.
    pageErrors(page).allow(
      /^HTTP 404 GET \/js\/pages\/(provider|coordinator|mediator|supervisor)\/routes\.js$/,
    );
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  /** A ticket created by this operator through the gateway, as another call earlier in the day. */
  async function earlierTicket(overrides: Record<string, unknown> = {}): Promise<string> {
    const reply = await callWithToken(
      platform.gateway,
      'POST',
      '/api/resident-requests/tickets',
      token,
      hotlineTicket(overrides),
    );
    expect(reply.status).toBe(201);
    return reply.body.ticketId as string;
  }

  it('takes a ticket down with suggestions, the community picker and the duplicate warning, then shows its page', async () => {
    const phone = uniquePhone();
    const open = await earlierTicket({ reporter: { name: '李建国', phone } });

    await waitForRoute(page, ROLE_HOME.operator);
    await page.fill('#ticket-description', '厨房水管漏水，地上都是水');
    await page.click('[data-suggest-category="repair"]');
    expect(await page.inputValue('#ticket-category')).toBe('repair');

    await page.fill('#ticket-phone', phone);
    const warning = page.locator('#duplicate-warning');
    await warning.locator(`a[data-ticket-id="${open}"]`).waitFor();
    expect(await warning.isVisible()).toBe(true);

    await page.fill('#ticket-name', '李建国');
    await page.locator('#ticket-community').pressSequentially('仙霞');
    await page.locator(`[role=option][data-code="${XIANXIA_ROAD}"]`).click();
    await page.fill('#ticket-address', '仙霞路 8 号 2 单元 301 室');
    expect(await page.inputValue('#ticket-channel')).toBe('hotline');
    await screenshot(page, 'operator-new-ticket');

    await page.press('#ticket-address', 'Control+Enter');
    // The page's own location (this file is compiled without the DOM's types, hence globalThis).
    await page.waitForFunction(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      () => /^#\/tickets\/(?!new)[^/?]+$/.test((globalThis as any).location.hash),
    );
    const ticketId = decodeURIComponent(new URL(page.url()).hash.slice('#/tickets/'.length));
    await page.locator('#ticket-status:not([data-status=""])').waitFor();
    expect(await page.locator('#screen h1').innerText()).toContain(ticketId);
    expect(await page.locator('#ticket-timeline li').count()).toBeGreaterThan(0);

    const created = (await call(services.requests, 'GET', `/tickets/${ticketId}`, gulouOperator)).body;
    expect(created).toMatchObject({
      category: 'repair',
      channel: 'hotline',
      place: { communityCode: XIANXIA_ROAD, address: '仙霞路 8 号 2 单元 301 室' },
      reporter: { name: '李建国', phone },
    });
    // The status shown is the ticket's as the API has it (it may have moved on since: triaged, dispatched…).
    await ticketWhen(services, ticketId, (t) => t.status === 'dispatched', 'is dispatched');
    await page.locator('#ticket-status[data-status="dispatched"]').waitFor();
    await page.locator('#ticket-job[data-job-status]').waitFor();
    await screenshot(page, 'operator-ticket');
    pageErrors(page).assertNone();
  });

  it("records a call-back's outcome from today's worklist in one click", async () => {
    const { providerId } = await registerConsoleProvider(platform);
    const ticketId = await earlierTicket();
    const { jobId } = await ticketWhen(services, ticketId, (t) => Boolean(t.jobId), 'has a job');
    await offeredJob(services, providerId, jobId);
    const provider = providerUser(providerId);
    expect((await call(services.dispatch, 'POST', `/jobs/${jobId}/accept`, provider)).status).toBe(200);
    expect((await call(services.dispatch, 'POST', `/jobs/${jobId}/start`, provider, {})).status).toBe(200);
    const done = await call(services.dispatch, 'POST', `/jobs/${jobId}/complete`, provider, {
      outcome: 'done',
      notes: '更换了水龙头阀芯',
    });
    expect(done.status).toBe(200);
    await ticketWhen(services, ticketId, (t) => t.callback?.status === 'due', 'has its call-back due');

    await page.evaluate(() => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      (globalThis as any).location.hash = '#/callbacks';
    });
    await waitForRoute(page, '/callbacks');
    const row = page.locator(`#callbacks tr[data-ticket-id="${ticketId}"]`);
    await row.locator('[data-satisfaction="5"]').click();
    await row.waitFor({ state: 'detached' });

    const closed = await ticketWhen(services, ticketId, (t) => t.status === 'closed', 'is closed');
    expect(closed.satisfaction).toMatchObject({ score: 5 });
    pageErrors(page).assertNone();
  });
});
