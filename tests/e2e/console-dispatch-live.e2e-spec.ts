// Two people at their consoles in headless Chromium, each page opened once and never reloaded: the operator takes a
// call down as a ticket through the form, and the provider's offers page (already open) shows the job offered by
// itself, through the gateway's live push; the provider accepts, and the operator's ticket page (already open)
// shows the job accepted. The provider then sees the resident's contact on the job's page, starts and completes
// the job from "my jobs", and the contact is gone once the job is no longer held. A second case: an offer another
// provider took while the tap was on its way gets a clear message, and the list drops it.
import type { Browser, Page } from 'playwright-core';
import {
  ROLE_HOME,
  axeViolations,
  describeViolations,
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
  hotlineTicket,
  offeredJob,
  operator as operatorCaller,
  providerUser,
  readWhen,
  ticketWhen,
  uniquePhone,
  type Json,
  type Platform,
} from './support/linli';

describe('dispatch in the console, live', () => {
  let platform: ConsolePlatform;
  let services: Platform;
  let browser: Browser;
  let operator: ConsoleUser;
  let provider: ConsoleUser;
  let operatorPage: Page;
  let providerPage: Page;

  beforeAll(async () => {
    // resident-requests and dispatch behind the gateway (which pushes their events' notices to the pages).
    platform = await startConsolePlatform({ services: ['resident-requests', 'dispatch'] });
    services = {
      requests: platform.services['resident-requests']!,
      dispatch: platform.services['dispatch']!,
      stop: platform.stop,
    };
    // The provider: a community repair team serving Gulou (forRole registers it in dispatch), acting through its
    // console user; the ticket below (repair, 仙霞路社区) is matched to it.
    [operator, provider, browser] = await Promise.all([
      platform.users.forRole('operator'),
      platform.users.forRole('provider'),
      launchBrowser(),
    ]);
    [operatorPage, providerPage] = await Promise.all([
      signedInPage(browser, platform.url, operator.username, operator.password),
      // A phone's screen: the provider is on site.
      signedInPage(browser, platform.url, provider.username, provider.password, {
        viewport: { width: 390, height: 844 },
      }),
    ]);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it("the operator's new ticket reaches the provider's open page; the accept reaches the operator's", async () => {
    await waitForRoute(providerPage, ROLE_HOME.provider);
    await providerPage.locator('#offers[aria-busy="false"]').waitFor({ state: 'attached' });
    expect(await providerPage.locator('#offers [data-job-id]').count()).toBe(0);
    await markNoReload(providerPage);

    // The operator takes the call down through the form.
    const phone = uniquePhone();
    await waitForRoute(operatorPage, ROLE_HOME.operator);
    await operatorPage.fill('#ticket-description', '厨房水龙头漏水，需要上门维修');
    await operatorPage.selectOption('#ticket-category', 'repair');
    await operatorPage.fill('#ticket-phone', phone);
    await operatorPage.fill('#ticket-name', '王秀英');
    await operatorPage.locator('#ticket-community').pressSequentially('仙霞');
    await operatorPage.locator(`[role=option][data-code="${XIANXIA_ROAD}"]`).click();
    await operatorPage.fill('#ticket-address', '仙霞路 12 号 3 单元 502 室');
    await operatorPage.click('#ticket-submit');
    await operatorPage.waitForFunction(() => /^#\/tickets\/(?!new)[^/?]+$/.test(globalThis.location.hash));
    const ticketId = decodeURIComponent(
      (await operatorPage.evaluate(() => globalThis.location.hash)).slice('#/tickets/'.length),
    );
    await operatorPage.locator('#ticket-status:not([data-status=""])').waitFor({ state: 'attached' });
    await markNoReload(operatorPage);

    // The job dispatch made of it appears on the provider's page by itself.
    const { jobId } = await ticketWhen(services, ticketId, (t) => Boolean(t.jobId), 'has a job');
    const offer = providerPage.locator(`#offers [data-job-id="${jobId}"]`);
    await offer.waitFor();
    // Brought by a live notice, not by the page's slow fallback refetch.
    expect(await offer.getAttribute('data-arrived-by')).toBe('live');
    expect(await offer.innerText()).toContain('仙霞路社区');
    expect(await offer.locator('.countdown').innerText()).toMatch(/\d+:\d\d/);
    await screenshot(providerPage, 'provider-offers');

    // The operator's ticket page shows the job once it is known (offered now), then the accept.
    await operatorPage.locator('#ticket-job[data-job-status]').waitFor({ state: 'attached' });
    await offer.locator('[data-action="accept"]').click();
    await providerPage.locator('.page-notice:not(.error) a[href^="#/jobs/"]').waitFor();
    await offer.waitFor({ state: 'detached' });
    const held = await readWhen(
      services.dispatch,
      `/jobs/${jobId}`,
      providerUser(provider.providerId!),
      (job) => job.status === 'accepted',
      `job ${jobId} accepted`,
    );
    expect(held.providerId).toBe(provider.providerId);

    await operatorPage.locator('#ticket-job[data-job-status="accepted"]').waitFor({ state: 'attached' });
    const assigned = await ticketWhen(services, ticketId, (t) => t.status === 'assigned', 'is assigned');
    await waitForAttribute(operatorPage, '#ticket-status', 'data-status', assigned.status);
    await expectNotReloaded(operatorPage);
    await expectNotReloaded(providerPage);

    // The job's page: the resident's contact while the provider holds the job.
    await providerPage.click('.page-notice a[href^="#/jobs/"]');
    await waitForRoute(providerPage, `/jobs/${jobId}`);
    const contact = providerPage.locator('#job-contact');
    await contact.waitFor({ state: 'visible' });
    expect(await contact.innerText()).toContain(phone);
    expect(await contact.innerText()).toContain('仙霞路 12 号 3 单元 502 室');
    await screenshot(providerPage, 'provider-job');

    // My jobs: start on site, then complete with the outcome.
    await providerPage.goto(`${platform.url}/#/jobs/mine`);
    await waitForRoute(providerPage, '/jobs/mine');
    const mine = providerPage.locator(`#my-jobs [data-job-id="${jobId}"]`);
    await providerPage.locator(`#my-jobs [data-job-id="${jobId}"][data-status="accepted"]`).waitFor();
    await mine.locator('[data-action="start"]').click();
    await providerPage.locator(`#my-jobs [data-job-id="${jobId}"][data-status="started"]`).waitFor();
    await mine.locator('[data-action="complete"]').click();
    await screenshot(providerPage, 'provider-my-jobs');
    await mine.locator('select[name="outcome"]').selectOption('done');
    await mine.locator('textarea[name="workDone"]').fill('更换了水龙头阀芯');
    await mine.locator('[data-action="confirm-complete"]').click();
    await mine.waitFor({ state: 'detached' });
    const completed = await readWhen(
      services.dispatch,
      `/jobs/${jobId}`,
      providerUser(provider.providerId!),
      (job) => job.status === 'completed',
      `job ${jobId} completed`,
    );
    expect(completed).toMatchObject({ outcome: 'done', workDone: '更换了水龙头阀芯' });
    await operatorPage.locator('#ticket-job[data-job-status="completed"]').waitFor({ state: 'attached' });

    // The job no longer held: its page shows no contact (resident-requests refuses it now, too).
    await providerPage.goto(`${platform.url}/#/jobs/${encodeURIComponent(jobId)}`);
    await waitForRoute(providerPage, `/jobs/${jobId}`);
    await providerPage.locator('#job[data-status="completed"]').waitFor();
    expect(await providerPage.locator('#job-contact').isVisible()).toBe(false);
    expect(await providerPage.locator('#job-contact').innerText()).toBe('');

    pageErrors(operatorPage).assertNone('the operator’s page');
    pageErrors(providerPage).assertNone('the provider’s page');
  });

  it('an offer another provider took while the tap was on its way: a clear message, and the list drops it', async () => {
    // Two more repair teams: dispatch offers a job to up to three providers at once, so both get this one.
    const other = await registerConsoleProvider(platform);
    const me = await platform.users.forRole('provider');
    // bypassCSP: axe-core is injected below (the first case's pages keep the console's CSP, and check it).
    const page = await signedInPage(browser, platform.url, me.username, me.password, {
      viewport: { width: 390, height: 844 },
      bypassCSP: true,
    });
    await waitForRoute(page, ROLE_HOME.provider);
    await page.locator('#offers[aria-busy="false"]').waitFor({ state: 'attached' });

    const filed = await call(services.requests, 'POST', '/tickets', operatorCaller, hotlineTicket());
    expect(filed.status).toBe(201);
    const { jobId } = await ticketWhen(services, filed.body.ticketId, (t) => Boolean(t.jobId), 'has a job');
    await offeredJob(services, other.providerId, jobId);
    const offer = page.locator(`#offers [data-job-id="${jobId}"]`);
    await offer.waitFor();
    await offer.locator('[data-action="decline"]').click();
    expect(describeViolations(await axeViolations(page))).toBe('');
    await offer.locator('.answer-form button[type="button"]').click();

    // The tap leaves the page; before it reaches dispatch, the other provider accepts.
    await page.route(`**/api/dispatch/jobs/${jobId}/accept`, async (route) => {
      const taken = await call(
        services.dispatch,
        'POST',
        `/jobs/${jobId}/accept`,
        providerUser(other.providerId),
      );
      expect(taken.status).toBe(200);
      await route.continue();
    });
    await offer.locator('[data-action="accept"]').click();
    const notice = page.locator('.page-notice.error');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('已被其他服务方接走');
    await offer.waitFor({ state: 'detached' });
    const job: Json = (await call(services.dispatch, 'GET', `/jobs/${jobId}`, providerUser(other.providerId)))
      .body;
    expect(job).toMatchObject({ status: 'accepted', providerId: other.providerId });
    pageErrors(page).assertNone('the second provider’s page');
    await page.context().close();
  });
});

/** A mark in the page's window: gone if the page reloads. */
async function markNoReload(page: Page): Promise<void> {
  await page.evaluate(() => {
    globalThis.__notReloaded = true;
  });
}

async function expectNotReloaded(page: Page): Promise<void> {
  expect(await page.evaluate(() => globalThis.__notReloaded === true)).toBe(true);
}

async function waitForAttribute(page: Page, selector: string, name: string, value: string): Promise<void> {
  await page.waitForFunction(([s, n, v]) => globalThis.document.querySelector(s)?.getAttribute(n) === v, [
    selector,
    name,
    value,
  ] as const);
}

// Compiled without the DOM's types: the page's globals as the browser has them.
declare const globalThis: {
  location: { hash: string };
  document: { querySelector(s: string): Json };
  __notReloaded?: boolean;
};
