// The web console on a "modest office PC": headless Chromium with its CPU throttled 4x (CDP
// Emulation.setCPUThrottlingRate), signed in already, timed from navigation to each main screen being usable, with
// the bytes it transferred, against a blank static page from the same gateway; and the live path, from the
// operator submitting a ticket to the offer showing on the provider's open page, against the same ticket's POST to
// its job.offered read from Kafka by a bare consumer.
// Usage: npm run bench:console   (env: BENCH_RUNS (5), BENCH_OFFERS (10), BENCH_CPU_THROTTLE (4), CHROMIUM_PATH)
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fromKafkaRecord, jobTopic } from '@linli/contracts';
import { namespaced } from '@linli/platform';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import type { Browser, CDPSession, Page } from 'playwright-core';
import * as support from '../../e2e/support/console';
import * as linli from '../../e2e/support/linli';
import { watchLoad } from '../support/machine';
import { cleanUpNamespace, machineLine } from '../support/sizes';

const NAMESPACE = `benchcon${randomBytes(3).toString('hex')}`;
// The services the e2e support starts inherit it (read when each is spawned).
process.env['LINLI_NAMESPACE'] = NAMESPACE;
process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const OFFERS = Number(process.env['BENCH_OFFERS'] ?? 10);
const THROTTLE = Number(process.env['BENCH_CPU_THROTTLE'] ?? 4);
const WAIT_MS = 120_000;
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0
    ? NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);
}

/** CDP on a page: CPU throttled, network events counted. */
async function instrument(
  page: Page,
): Promise<{ cdp: CDPSession; bytes: () => { bytes: number; files: number } }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  let bytes = 0;
  let files = 0;
  cdp.on('Network.loadingFinished', (event: { encodedDataLength: number }) => {
    bytes += event.encodedDataLength;
    files += 1;
  });
  return {
    cdp,
    bytes: () => {
      const counted = { bytes, files };
      bytes = 0;
      files = 0;
      return counted;
    },
  };
}

/** A page function: performance.now() once the screen is usable, null before. */
type Ready = () => number | null;

// The page's globals, typed loosely: this file is compiled without the DOM's types. The functions below are sent
// to the page as their source: they use nothing from this file.
interface PageElement {
  id: string;
  hasAttribute(name: string): boolean;
}
interface PageGlobals {
  document: {
    readyState: string;
    activeElement: PageElement | null;
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): ArrayLike<PageElement>;
  };
}

const BLANK_LOADED: Ready = () =>
  (globalThis as unknown as PageGlobals).document.readyState === 'complete' ? performance.now() : null;
const NEW_TICKET_FOCUSED: Ready = () =>
  (globalThis as unknown as PageGlobals).document.activeElement?.id === 'ticket-description'
    ? performance.now()
    : null;
const TICKET_SHOWN: Ready = () => {
  const { document } = globalThis as unknown as PageGlobals;
  return document.querySelector('#ticket-status[data-status]:not([data-status=""])') &&
    document.querySelector('#ticket-timeline li')
    ? performance.now()
    : null;
};
const DASHBOARD_FILLED: Ready = () => {
  const { document } = globalThis as unknown as PageGlobals;
  const cards = Array.from(document.querySelectorAll('[data-indicator]'));
  return document.querySelector('#indicator-cards[aria-busy="false"]') &&
    cards.length > 0 &&
    cards.every((card) => card.hasAttribute('data-value'))
    ? performance.now()
    : null;
};

interface ScreenRun {
  ms: number;
  bytes: number;
  files: number;
}

/**
 * One load of `url` from a blank page in the same (signed-in) tab: ms from the navigation's start (the document's
 * time origin) until `ready` holds in the page, and what the network carried meanwhile.
 */
async function loadOnce(
  page: Page,
  probe: Awaited<ReturnType<typeof instrument>>,
  url: string,
  ready: Ready,
  cold: boolean,
): Promise<ScreenRun> {
  await page.goto('about:blank');
  if (cold) await probe.cdp.send('Network.clearBrowserCache');
  probe.bytes();
  await page.goto(url, { waitUntil: 'commit' });
  // `ready` runs in the page (no string evaluated there: the console's CSP forbids eval) and answers the time since
  // the navigation started once the screen is usable.
  const handle = await page.waitForFunction(ready, undefined, { polling: 'raf', timeout: WAIT_MS });
  const ms = Math.round((await handle.jsonValue()) as number);
  // Let the screen's last requests (those issued by the time it was usable) finish before counting.
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
  return { ms, ...probe.bytes() };
}

interface ScreenFigures {
  screen: string;
  cold: ScreenRun[];
  warm: ScreenRun[];
}

async function timeScreen(
  page: Page,
  probe: Awaited<ReturnType<typeof instrument>>,
  screen: string,
  url: string,
  ready: Ready,
): Promise<ScreenFigures> {
  await loadOnce(page, probe, url, ready, false); // warm-up: the server's first answers
  const cold: ScreenRun[] = [];
  const warm: ScreenRun[] = [];
  for (let i = 0; i < RUNS; i++) {
    cold.push(await loadOnce(page, probe, url, ready, true));
    warm.push(await loadOnce(page, probe, url, ready, false));
  }
  log(`${screen}: cold ${cold.map((r) => r.ms).join(', ')} ms; warm ${warm.map((r) => r.ms).join(', ')} ms`);
  return { screen, cold, warm };
}

/** When each job's first job.offered arrives on Kafka (a bare consumer, a group of its own, from the start). */
async function offeredArrivals(): Promise<{ seen: Map<string, number>; consumer: Consumer }> {
  const kafka = new Kafka({
    brokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','),
    clientId: 'bench-console',
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `${NAMESPACE}-floor`, maxWaitTimeInMs: 100 });
  const seen = new Map<string, number>();
  await consumer.connect();
  await consumer.subscribe({ topic: namespaced(jobTopic.name), fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const message of batch.messages) {
        const event = fromKafkaRecord(message);
        if (event.type === 'linli.dispatch.job.offered.v1' && !seen.has(event.subject ?? ''))
          seen.set(event.subject ?? '', now);
      }
    },
  });
  return { seen, consumer };
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${WAIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main(): Promise<void> {
  const load = watchLoad();
  // The console as the gateway serves it, plus one blank page beside it: the floor, from the same server.
  const consoleDir = mkdtempSync(join(tmpdir(), 'linli-bench-console-'));
  cpSync(join(__dirname, '../../../services/gateway/console'), consoleDir, { recursive: true });
  writeFileSync(
    join(consoleDir, 'bench-blank.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>blank</title></head><body></body></html>\n',
  );
  let browser: Browser | undefined;
  let platform: Awaited<ReturnType<typeof support.startConsolePlatform>> | undefined;
  let offered: Awaited<ReturnType<typeof offeredArrivals>> | undefined;
  try {
    browser = await support.launchBrowser();
    log('starting the gateway, resident-requests, dispatch and insights…');
    platform = await support.startConsolePlatform({
      services: ['resident-requests', 'dispatch', 'insights'],
      gatewayEnv: { CONSOLE_DIR: consoleDir },
    });
    const url = platform.url;
    const { providerId } = await support.registerConsoleProvider(platform, { capacity: 50 });
    const [operator, provider, supervisor] = await Promise.all([
      platform.users.forRole('operator'),
      platform.users.forRole('provider', { providerId }),
      platform.users.forRole('supervisor'),
    ]);
    log('platform ready, users created');

    // A ticket for the ticket page, through the gateway as the operator.
    const operatorToken = await platform.tokenOf(operator.username, operator.password);
    const created = await linli.callWithToken(
      platform.gateway,
      'POST',
      '/api/resident-requests/tickets',
      operatorToken,
      linli.hotlineTicket(),
    );
    if (created.status !== 201) throw new Error(`ticket: ${created.status} ${JSON.stringify(created.body)}`);
    const ticketId = created.body.ticketId as string;

    // ---- screens ----
    const operatorPage = await support.signedInPage(browser, url, operator.username, operator.password);
    await support.waitForRoute(operatorPage, support.ROLE_HOME.operator);
    const operatorProbe = await instrument(operatorPage);
    const screens: ScreenFigures[] = [];
    screens.push(
      await timeScreen(
        operatorPage,
        operatorProbe,
        'floor: blank static page from the gateway (load event)',
        `${url}/bench-blank.html`,
        BLANK_LOADED,
      ),
    );
    screens.push(
      await timeScreen(
        operatorPage,
        operatorProbe,
        'operator: new ticket, #ticket-description focused',
        `${url}/#/tickets/new`,
        NEW_TICKET_FOCUSED,
      ),
    );
    screens.push(
      await timeScreen(
        operatorPage,
        operatorProbe,
        'operator: ticket page, status and timeline shown',
        `${url}/#/tickets/${encodeURIComponent(ticketId)}`,
        TICKET_SHOWN,
      ),
    );

    // ---- the live path: operator submits, the provider's open offers page shows the offer ----
    offered = await offeredArrivals();
    const providerPage = await support.signedInPage(browser, url, provider.username, provider.password, {
      viewport: { width: 390, height: 844 },
    });
    await support.waitForRoute(providerPage, support.ROLE_HOME.provider);
    await providerPage.locator('#offers[aria-busy="false"]').waitFor({ state: 'attached' });
    await instrument(providerPage);
    // The first moment each job's item is in the offers list, by the page's own clock (the machine's).
    await providerPage.evaluate(() => {
      const g = globalThis as unknown as {
        document: {
          querySelectorAll(s: string): { getAttribute(n: string): string | null }[];
          body: unknown;
        };
        MutationObserver: new (cb: () => void) => { observe(n: unknown, o: object): void };
        offerSeen: Record<string, number>;
      };
      g.offerSeen = {};
      const note = () => {
        for (const item of g.document.querySelectorAll('#offers [data-job-id]')) {
          const id = item.getAttribute('data-job-id');
          if (id && !(id in g.offerSeen)) g.offerSeen[id] = Date.now();
        }
      };
      new g.MutationObserver(note).observe(g.document.body, { childList: true, subtree: true });
      note();
    });
    await operatorPage.goto(`${url}/#/tickets/new`);
    const live: { clickToVisible: number; postToVisible: number; postToKafka: number }[] = [];
    for (let i = 0; i < OFFERS; i++) {
      await operatorPage.evaluate(() => {
        (globalThis as unknown as { location: { hash: string } }).location.hash = '#/tickets/new';
      });
      await operatorPage.waitForFunction(
        () =>
          (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document
            .activeElement?.id === 'ticket-description',
        undefined,
        { timeout: WAIT_MS },
      );
      await operatorPage.fill('#ticket-description', '厨房水龙头漏水，需要上门维修');
      await operatorPage.selectOption('#ticket-category', 'repair');
      await operatorPage.fill('#ticket-phone', linli.uniquePhone());
      await operatorPage.fill('#ticket-name', '王秀英');
      await operatorPage.locator('#ticket-community').pressSequentially('仙霞');
      await operatorPage.locator(`[role=option][data-code="${linli.XIANXIA_ROAD}"]`).click();
      await operatorPage.fill('#ticket-address', `仙霞路 ${i + 1} 号`);
      let postAt = 0;
      const onRequest = (request: { method(): string; url(): string }) => {
        if (request.method() === 'POST' && request.url().endsWith('/api/resident-requests/tickets'))
          postAt = Date.now();
      };
      operatorPage.on('request', onRequest);
      const answer = operatorPage.waitForResponse(
        (response) =>
          response.request().method() === 'POST' && response.url().endsWith('/api/resident-requests/tickets'),
        { timeout: WAIT_MS },
      );
      const clickAt = Date.now();
      await operatorPage.click('#ticket-submit');
      const response = await answer;
      operatorPage.off('request', onRequest);
      const body = (await response.json()) as { jobId?: string; ticketId?: string };
      if (response.status() !== 201 || !body.jobId)
        throw new Error(`ticket through the form: ${response.status()} ${JSON.stringify(body)}`);
      const jobId = body.jobId;
      const visibleAt = await until(`the offer of ${jobId} on the provider's page`, () =>
        providerPage.evaluate(
          (id) => (globalThis as unknown as { offerSeen: Record<string, number> }).offerSeen[id],
          jobId,
        ),
      );
      const kafkaAt = await until(`job.offered of ${jobId} on Kafka`, () => offered?.seen.get(jobId));
      live.push({
        clickToVisible: visibleAt - clickAt,
        postToVisible: visibleAt - postAt,
        postToKafka: kafkaAt - postAt,
      });
      log(`offer ${i + 1}: ${JSON.stringify(live[live.length - 1])}`);
    }

    // ---- the supervisor's dashboard (insights has folded the tickets above by now, or is doing so) ----
    const supervisorPage = await support.signedInPage(browser, url, supervisor.username, supervisor.password);
    await support.waitForRoute(supervisorPage, support.ROLE_HOME.supervisor);
    const supervisorProbe = await instrument(supervisorPage);
    screens.push(
      await timeScreen(
        supervisorPage,
        supervisorProbe,
        'supervisor: dashboard, every card with its value',
        `${url}/#/dashboard`,
        DASHBOARD_FILLED,
      ),
    );

    const kb = (bytes: number) => (bytes / 1024).toFixed(1);
    const lines = [
      machineLine(),
      load.stop(),
      `chromium ${browser.version()}, CPU throttled ${THROTTLE}x, 1366x768; ${RUNS} cold (HTTP cache cleared) and ${RUNS} warm loads per screen, signed in`,
      '',
      '| screen (navigation -> usable) | cold median ms | cold max ms | warm median ms | warm max ms | cold KiB (files) | warm KiB (files) |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...screens.map(
        (s) =>
          `| ${s.screen} | ${median(s.cold.map((r) => r.ms))} | ${Math.max(...s.cold.map((r) => r.ms))} | ` +
          `${median(s.warm.map((r) => r.ms))} | ${Math.max(...s.warm.map((r) => r.ms))} | ` +
          `${kb(median(s.cold.map((r) => r.bytes)))} (${median(s.cold.map((r) => r.files))}) | ` +
          `${kb(median(s.warm.map((r) => r.bytes)))} (${median(s.warm.map((r) => r.files))}) |`,
      ),
      '',
      `| live path (${live.length} tickets through the form) | median ms | p90 ms | max ms |`,
      '| --- | ---: | ---: | ---: |',
      ...(
        [
          ['operator clicks submit -> offer shown on the provider’s open page', 'clickToVisible'],
          ['POST /tickets sent -> offer shown on the provider’s page', 'postToVisible'],
          ['floor: POST /tickets sent -> its job.offered read by a bare kafkajs consumer', 'postToKafka'],
        ] as const
      ).map(([label, key]) => {
        const values = live.map((run) => run[key]);
        return `| ${label} | ${median(values)} | ${percentile(values, 90)} | ${Math.max(...values)} |`;
      }),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await offered?.consumer.disconnect().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await platform?.stop();
    rmSync(consoleDir, { recursive: true, force: true });
    await cleanUpNamespace(NAMESPACE, log);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
