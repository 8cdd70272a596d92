// The emergency coordinator's console in headless Chromium: an incident declared for 宁海路街道 (picked from the
// administrative tree by typing), an alert composed with its CAP fields and broadcast; the acknowledgement board
// lists the recipients notifications resolved and, as they answer through the API (providers and a community
// worker in their app) and the coordinator records a resident's call on the board itself, its rows and counts
// change without a reload; then the all-clear, confirmed. Screenshots of the incidents screen and of the board.
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
import {
  NINGHAI_ROAD_COMMUNITIES,
  NINGHAI_ROAD_STREET,
  admin,
  call,
  operator,
  providerUser,
  uniqueId,
  uniquePhone,
  type Caller,
} from './support/linli';

interface Recipient {
  id: string;
  /** Answers in its own app (a provider, a community worker); a resident has no account. */
  caller?: Caller;
}

describe('the coordinator console: declare, broadcast, a live acknowledgement board, all-clear', () => {
  let platform: ConsolePlatform;
  let browser: Browser;
  let coordinator: ConsoleUser;
  let page: Page;
  const recipients: Recipient[] = [];
  let incidentId: string;
  let alertId: string;

  beforeAll(async () => {
    // The divisions search (resident-requests) for the picker; emergency and notifications for the broadcast.
    platform = await startConsolePlatform({ services: ['resident-requests', 'emergency', 'notifications'] });
    const notifications = platform.services['notifications']!;
    const put = async (id: string, body: Record<string, unknown>) => {
      const reply = await call(notifications, 'PUT', `/contacts/${id}`, admin, body);
      if (reply.status !== 200 && reply.status !== 201)
        throw new Error(`contact ${id} not written: ${reply.status} ${JSON.stringify(reply.body)}`);
    };
    // In the street: two providers and a community worker (in-app), a resident signed up by the hotline (SMS).
    for (const community of NINGHAI_ROAD_COMMUNITIES.slice(0, 2)) {
      const id = uniqueId('prv');
      await put(id, { kind: 'provider', areas: [community], language: 'zh-CN', channels: ['in-app'] });
      recipients.push({ id, caller: providerUser(id) });
    }
    const workerId = uniqueId('cw');
    await put(workerId, {
      kind: 'community-worker',
      areas: [NINGHAI_ROAD_COMMUNITIES[2]],
      language: 'zh-CN',
      channels: ['in-app'],
    });
    recipients.push({
      id: workerId,
      caller: { role: 'operator', jurisdiction: NINGHAI_ROAD_STREET, sub: workerId },
    });
    const subscription = await call(notifications, 'POST', '/subscriptions', operator, {
      community: NINGHAI_ROAD_COMMUNITIES[3],
      phone: uniquePhone(),
    });
    expect(subscription.status).toBe(201);
    recipients.push({ id: subscription.body.subscriptionId as string });

    [coordinator, browser] = await Promise.all([platform.users.forRole('coordinator'), launchBrowser()]);
    page = await signedInPage(browser, platform.url, coordinator.username, coordinator.password);
  }, 240_000);
  /** The screen's h1 (the sign-in form's, hidden, is in <main> too). */
  const heading = async () => (await page.locator('main h1:visible').first().innerText()).trim();

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('declares an incident for a street picked by typing, from the main screen', async () => {
    expect(await waitForRoute(page, ROLE_HOME.coordinator)).toBe('突发事件');
    await page.selectOption('#incident-kind', 'flood');
    await page.selectOption('#incident-severity', 'severe');
    await page.fill('#incident-title', '宁海路街道内涝');
    await page.fill('#incident-description', '强降雨导致宁海路街道多处积水，部分小区地下车库进水');
    // An empty area list is refused on the field before anything is sent.
    await page.click('#incident-submit');
    await page.waitForSelector('[name="areas"][aria-invalid="true"]');

    await page.locator('#incident-areas').pressSequentially('宁海路');
    await page.click(`#incident-areas-list [role=option][data-code="${NINGHAI_ROAD_STREET}"]`);
    await page.waitForSelector(`.chips li[data-code="${NINGHAI_ROAD_STREET}"]`);
    await page.click('#incident-submit');

    await waitForRoute(page, '/incidents/I');
    incidentId = decodeURIComponent(new URL(page.url()).hash.replace('#/incidents/', ''));
    expect(incidentId).toMatch(/^I\d{8}-\d{6}$/);
    await page.waitForSelector('#incident-status[data-status="declared"]');
    // CAP's category and event follow the incident's kind.
    expect(await page.innerText('#alert-cap-category')).toContain('Met');

    // The incidents screen lists it (and is the coordinator's main screen in the screenshots).
    await page.click('#nav a[data-path="/incidents"]');
    await waitForRoute(page, '/incidents');
    await page.waitForSelector(`[data-incident-id="${incidentId}"][data-status="declared"]`);
    await screenshot(page, 'coordinator-incidents');
    await page.click(`[data-incident-id="${incidentId}"] a`);
    await waitForRoute(page, `/incidents/${incidentId}`);
  });

  it('composes an alert with its CAP fields, refusing a bad one on its fields, and broadcasts it', async () => {
    await page.fill('#alert-headline', '宁海路街道内涝预警：请立即转移地下空间人员车辆');
    await page.fill('#alert-description', '预计未来3小时仍有强降雨，低洼地带积水可能继续上涨。');
    // An expiry in the past is refused on its field by the page; acknowledgement window out of range too.
    await page.fill('#alert-expires', '2020-01-01T08:00');
    await page.fill('#alert-ack-within', '0');
    await page.click('#alert-submit');
    await page.waitForSelector('#alert-expires[aria-invalid="true"]');
    await page.waitForSelector('#alert-ack-within[aria-invalid="true"]');
    await page.fill('#alert-expires', '');
    await page.fill('#alert-ack-within', '30');
    await page.fill('#alert-instruction', '请远离地下车库和低洼地带，需要帮助请回复。');
    await page.selectOption('#alert-urgency', 'immediate');
    await page.selectOption('#alert-certainty', 'observed');
    await page.selectOption('#alert-response', 'evacuate');
    await page.click('#alert-submit');

    await waitForRoute(page, '/alerts/');
    alertId = decodeURIComponent(new URL(page.url()).hash.replace('#/alerts/', ''));
    expect(alertId).toBe(`${incidentId}-A1`);
    // A reload would lose this mark: the board must change under it.
    await page.evaluate(() => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      (globalThis as any).__sameDocument = true;
    });
  });

  it('fills the board as the broadcast reaches the recipients and as they acknowledge, without a reload', async () => {
    const total = recipients.length;
    await page.waitForSelector(`#ack-summary[data-total="${total}"][data-acknowledged="0"]`);
    for (const recipient of recipients) {
      await page.waitForSelector(`#ack-board [data-recipient-id="${recipient.id}"][data-state="pending"]`);
    }

    // Answers in their apps, through the API as the recipients themselves.
    const emergency = platform.services['emergency']!;
    const [first, second, worker, resident] = recipients as [Recipient, Recipient, Recipient, Recipient];
    const answer = async (recipient: Recipient, response: string) => {
      const reply = await call(emergency, 'POST', `/alerts/${alertId}/acknowledgements`, recipient.caller, {
        response,
      });
      expect(reply.status).toBe(201);
    };
    await answer(first, 'safe');
    await page.waitForSelector(`#ack-board [data-recipient-id="${first.id}"][data-state="acknowledged"]`);
    await page.waitForSelector(`#ack-summary[data-acknowledged="1"][data-total="${total}"]`);

    await answer(second, 'received');
    await answer(worker, 'needs-help');
    await page.waitForSelector(`#ack-board [data-recipient-id="${worker.id}"][data-state="needs-help"]`);
    await page.waitForSelector(`#ack-summary[data-acknowledged="3"][data-needs-help="1"]`);

    // The resident called the hotline: the coordinator records the answer on the board.
    await page.selectOption('#answer-recipient', resident.id);
    await page.selectOption('#answer-response', 'safe');
    await page.selectOption('#answer-channel', 'phone');
    await page.click('#answer-submit');
    await page.waitForSelector(`#ack-board [data-recipient-id="${resident.id}"][data-state="acknowledged"]`);
    await page.waitForSelector(`#ack-summary[data-acknowledged="${total}"][data-total="${total}"]`);

    expect(await page.evaluate(() => (globalThis as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await page.waitForSelector('#welfare-board');
    await screenshot(page, 'coordinator-board');

    // In English, the same board (the page renders again in the other language, then back).
    await page.click('#language');
    await page.locator('#ack-summary .ack-total', { hasText: /^Acknowledged \d+ of \d+$/ }).waitFor();
    expect(await heading()).toBe(`Alert ${alertId}`);
    await screenshot(page, 'coordinator-board-en');
    await page.click('#language');
    await page.locator('#ack-summary .ack-total', { hasText: `回执 ${total} / ${total}` }).waitFor();
    expect(await heading()).toBe(`预警 ${alertId}`);
  });

  it('has no serious accessibility violations on the incidents screen, the incident page and the board', async () => {
    // axe is injected as a script: a page of its own, past the CSP (the pages above ran under it).
    const checked = await signedInPage(browser, platform.url, coordinator.username, coordinator.password, {
      bypassCSP: true,
    });
    try {
      await waitForRoute(checked, ROLE_HOME.coordinator);
      await checked.waitForSelector(`[data-incident-id="${incidentId}"]`);
      const screens: [string, string][] = [];
      screens.push(['incidents', describeViolations(await axeViolations(checked))]);
      await checked.evaluate((hash) => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        (globalThis as any).location.hash = hash;
      }, `#/incidents/${incidentId}`);
      await checked.waitForSelector(`[data-alert-id="${alertId}"]`);
      screens.push(['incident', describeViolations(await axeViolations(checked))]);
      await checked.evaluate((hash) => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        (globalThis as any).location.hash = hash;
      }, `#/alerts/${alertId}`);
      await checked.waitForSelector(`#ack-summary[data-total="${recipients.length}"]`);
      screens.push(['board', describeViolations(await axeViolations(checked))]);
      expect(screens).toEqual([
        ['incidents', ''],
        ['incident', ''],
        ['board', ''],
      ]);
    } finally {
      await checked.context().close();
    }
  });

  it('gives the all-clear after a confirmation', async () => {
    await page.click('#back-to-incident');
    await waitForRoute(page, `/incidents/${incidentId}`);
    await page.waitForSelector(`[data-alert-id="${alertId}"]`);
    await page.click('#all-clear');
    // Nothing happens until it is confirmed; cancelling leaves the incident as it was.
    await page.click('#all-clear-cancel');
    await page.waitForSelector('#incident-status[data-status="declared"]');
    await page.click('#all-clear');
    await page.click('#all-clear-confirm');
    await page.waitForSelector('#incident-status[data-status="all-clear"]');
    expect(await page.locator('#all-clear').count()).toBe(0);
    await screenshot(page, 'coordinator-incident');

    pageErrors(page).assertNone('the coordinator console');
  });
});
