// The supervisor's dashboard in headless Chromium: after real work done through the services (a hotline ticket
// dispatched, accepted, done, resolved and called back; another left open), every indicator card shows the very
// value insights' API gives for the same area and period, with its trend drawn and its breakdown by sub-area.
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
  GULOU,
  NINGHAI_ROAD_STREET,
  call,
  callWithToken,
  eventually,
  hotlineTicket,
  localDate,
  offeredJob,
  operator,
  providerUser,
  ticketWhen,
  type Json,
  type Platform,
} from './support/linli';

describe('the supervisor dashboard', () => {
  let platform: ConsolePlatform;
  let services: Platform;
  let browser: Browser;
  let supervisor: ConsoleUser;
  let token: string;
  let page: Page;

  beforeAll(async () => {
    platform = await startConsolePlatform({ services: ['resident-requests', 'dispatch', 'insights'] });
    services = {
      requests: platform.services['resident-requests']!,
      dispatch: platform.services['dispatch']!,
      stop: platform.stop,
    };
    [supervisor, browser] = await Promise.all([platform.users.forRole('supervisor'), launchBrowser()]);
    token = await platform.tokenOf(supervisor.username, supervisor.password);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  /** A hotline ticket in 仙霞路社区 taken by the provider; done, resolved and called back when `finish`. */
  async function ticketWorkedOn(providerId: string, finish: boolean): Promise<string> {
    const created = await call(services.requests, 'POST', '/tickets', operator, hotlineTicket());
    expect(created.status).toBe(201);
    const ticketId: string = created.body.ticketId;
    const { jobId } = await ticketWhen(services, ticketId, (t) => Boolean(t.jobId), 'has a job');
    await offeredJob(services, providerId, jobId);
    const me = providerUser(providerId);
    expect((await call(services.dispatch, 'POST', `/jobs/${jobId}/accept`, me)).status).toBe(200);
    if (!finish) return ticketId;
    expect((await call(services.dispatch, 'POST', `/jobs/${jobId}/start`, me, {})).status).toBe(200);
    const done = await call(services.dispatch, 'POST', `/jobs/${jobId}/complete`, me, { outcome: 'done' });
    expect(done.status).toBe(200);
    await ticketWhen(services, ticketId, (t) => t.status === 'resolved', 'is resolved');
    await eventually(`the call-back of ${ticketId} due`, async () => {
      const worklist = await call(services.requests, 'GET', '/callbacks', operator);
      return worklist.body?.items?.some((i: Json) => i.ticketId === ticketId) ? true : undefined;
    });
    const callback = await call(services.requests, 'POST', `/tickets/${ticketId}/callback`, operator, {
      answered: true,
      satisfaction: 5,
    });
    expect(callback.status).toBe(200);
    return ticketId;
  }

  /** The supervisor's values from insights through the gateway, as the dashboard asks for them. */
  async function apiValues(query: string): Promise<Json> {
    const reply = await callWithToken(
      platform.gateway,
      'GET',
      `/api/insights/indicators/values?${query}`,
      token,
    );
    expect(reply.status).toBe(200);
    return reply.body;
  }

  it('shows, card by card, the numbers of the insights API for the same area and period', async () => {
    const { providerId } = await registerConsoleProvider(platform);
    await ticketWorkedOn(providerId, true);
    await ticketWorkedOn(providerId, false);

    const query = `node=${GULOU}&period=month&date=${localDate(new Date())}`;
    // insights has caught up once the satisfaction and both acceptances are counted.
    const expected = await eventually('insights counting the work', async () => {
      const values = await apiValues(query);
      const of = (code: string) => values.items.find((i: Json) => i.code === code);
      return of('resident-satisfaction-rate').denominator === 1 &&
        of('job-accept-median-minutes').denominator === 2 &&
        of('provider-kind-share').denominator === 1
        ? values
        : undefined;
    });
    const shown = (items: Json[]) =>
      Object.fromEntries(
        items.map((item: Json) => [item.code, item.value === null ? '' : String(item.value)]),
      );
    expect(shown(expected.items)).toMatchObject({
      'ticket-on-time-rate': '1',
      'resident-satisfaction-rate': '1',
      'provider-kind-share': '',
    });

    page = await signedInPage(browser, platform.url, supervisor.username, supervisor.password);
    // Another role's module not written yet is the shell's business (console-shell checks every role's screen).
    pageErrors(page).allow(/GET \/js\/pages\/[a-z]+\/routes\.js$/);
    expect(await waitForRoute(page, ROLE_HOME.supervisor)).toBe('指标看板');
    await page.waitForSelector(
      `#indicator-cards[aria-busy="false"][data-node="${GULOU}"][data-period="month"]`,
    );
    const onPage = await page.$$eval('[data-indicator]', (cards) =>
      Object.fromEntries(
        cards.map((card) => [card.getAttribute('data-indicator'), card.getAttribute('data-value')]),
      ),
    );
    expect(Object.keys(onPage)).toHaveLength(11);
    expect(onPage).toEqual(shown(expected.items));
    // The five societies' shares of provider-kind-share, as the API's breakdown.
    const kinds = await page.$$eval('[data-indicator="provider-kind-share"] [data-kind]', (items) =>
      Object.fromEntries(items.map((li) => [li.getAttribute('data-kind'), li.getAttribute('data-value')])),
    );
    const apiKinds = expected.items.find((i: Json) => i.code === 'provider-kind-share').breakdown;
    expect(kinds).toEqual(
      Object.fromEntries(Object.entries(apiKinds).map(([kind, v]) => [kind, v === null ? '' : String(v)])),
    );

    // The first cards draw their trends; a breakdown opens with a table row per street, Ninghai Road's as the API's.
    await page.waitForSelector('[data-indicator="elder-home-service-share"] .indicator-trend canvas');
    await page.click('[data-indicator="ticket-on-time-rate"] details[data-part="breakdown"] > summary');
    const row = page.locator(
      `[data-indicator="ticket-on-time-rate"] .indicator-breakdown tr[data-node="${NINGHAI_ROAD_STREET}"]`,
    );
    await row.waitFor();
    const breakdown = await callWithToken(
      platform.gateway,
      'GET',
      `/api/insights/indicators/ticket-on-time-rate/breakdown?${query}`,
      token,
    );
    const ninghai = breakdown.body.items.find((i: Json) => i.node === NINGHAI_ROAD_STREET);
    expect(ninghai).toMatchObject({ value: 1, numerator: 1, denominator: 1 });
    expect(await row.locator('td').nth(2).innerText()).toBe('100.0%');

    await screenshot(page, 'supervisor-dashboard');
    pageErrors(page).assertNone();
  }, 240_000);
});
