// insights against the real stack: a month of events from every stream folded into facts, the indicators of a node
// and period as computed by hand, the same numbers after the events come again, the API's refusals, the files, and
// the replay (must hold): stop, rebuild, start, catch up, the same numbers.
import { dlqTopicOf, ticketCreated, ticketTopic } from '@linli/contracts';
import { authHeader, EventProbe } from '@linli/testing';
import ExcelJS from 'exceljs';
import { MongoClient } from 'mongodb';
import { namespaced } from '@linli/platform';
import { FACT_MODELS } from '../src/facts/fact.models';
import { INSIGHTS_DATABASE } from '../src/topics';
import { MARCH, marchInGulou } from './scenario';
import {
  call,
  COMMUNITY_1,
  COMMUNITY_2,
  eventOf,
  EventSender,
  GroupWatch,
  GULOU,
  runRebuild,
  startInsights,
  STREET,
  supervisor,
  XUANWU,
  type Json,
  type ServiceProcess,
} from './support';

const CODES_READ = [
  'ticket-on-time-rate',
  'alert-ack-rate',
  'provider-kind-share',
  'elder-home-service-share',
];
const month = `node=${STREET}&period=month&date=${MARCH}`;

async function read(insights: ServiceProcess, path: string): Promise<Json> {
  const response = await call(insights, 'GET', path, supervisor());
  if (response.status !== 200)
    throw new Error(`GET ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Everything the API says of the street in March: every value, and the trend and breakdown of several. */
async function readAll(insights: ServiceProcess): Promise<Json> {
  const all: Json = { values: await read(insights, `/indicators/values?${month}`) };
  for (const code of CODES_READ) {
    all[`trend ${code}`] = await read(insights, `/indicators/${code}/trend?${month}&count=3`);
    all[`breakdown ${code}`] = await read(insights, `/indicators/${code}/breakdown?${month}`);
  }
  return all;
}

/** The values as code → { value, numerator, denominator, breakdown }, fractions rounded to 9 places. */
function byCode(values: Json): Record<string, Json> {
  const round = (n: unknown) => (typeof n === 'number' ? Math.round(n * 1e9) / 1e9 : n);
  return Object.fromEntries(
    (values.items as Json[]).map(({ code, value, breakdown, ...rest }) => [
      code,
      {
        value: round(value),
        ...rest,
        ...(breakdown
          ? {
              breakdown: Object.fromEntries(Object.entries(breakdown as Json).map(([k, v]) => [k, round(v)])),
            }
          : {}),
      },
    ]),
  );
}

function rounded(expected: Record<string, Json>): Record<string, Json> {
  return byCode({ items: Object.entries(expected).map(([code, result]) => ({ code, ...result })) });
}

/** Facts stored in insights' database (this file's namespace), over every fact collection. */
async function storedFacts(): Promise<number> {
  const client = new MongoClient(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017');
  await client.connect();
  try {
    const db = client.db(namespaced(INSIGHTS_DATABASE, '-'));
    const counts = await Promise.all(
      FACT_MODELS.map(({ schema }) => db.collection(schema.get('collection') as string).countDocuments()),
    );
    return counts.reduce((sum, n) => sum + n, 0);
  } finally {
    await client.close();
  }
}

describe('insights on the real stack', () => {
  let insights: ServiceProcess;
  let sender: EventSender;
  let group: GroupWatch;
  const scenario = marchInGulou();

  beforeAll(async () => {
    [insights, sender, group] = await Promise.all([startInsights(), EventSender.start(), GroupWatch.start()]);
    await sender.send(scenario.events);
    await group.caughtUp();
  });
  afterAll(async () => {
    await Promise.all([insights?.stop(), sender?.stop(), group?.stop()]);
  });

  it('computes every indicator of a street for a month as worked out by hand', async () => {
    const body = await read(insights, `/indicators/values?${month}`);
    expect(body.node).toBe(STREET);
    expect(body.period).toEqual({
      kind: 'month',
      start: '2026-02-28T16:00:00.000Z',
      end: '2026-03-31T16:00:00.000Z',
    });
    expect(byCode(body)).toEqual(rounded(scenario.expected));
  });

  it('breaks an indicator down by the node’s children and trends it over the periods before', async () => {
    const breakdown = await read(insights, `/indicators/ticket-on-time-rate/breakdown?${month}`);
    const children = Object.fromEntries((breakdown.items as Json[]).map((item) => [item.node, item]));
    expect(children[COMMUNITY_1]).toMatchObject({ value: 0.5, numerator: 1, denominator: 2 });
    expect(children[COMMUNITY_2]).toMatchObject({ value: 0, numerator: 0, denominator: 1 });
    expect(typeof children[COMMUNITY_1]?.name).toBe('string');

    const trend = await read(insights, `/indicators/ticket-on-time-rate/trend?${month}&count=3`);
    expect(trend.items.map((item: Json) => [item.start, item.denominator])).toEqual([
      ['2025-12-31T16:00:00.000Z', 0],
      ['2026-01-31T16:00:00.000Z', 0],
      ['2026-02-28T16:00:00.000Z', 3],
    ]);
  });

  it('changes nothing when every event comes again (redelivery, a producer’s retry)', async () => {
    const before = await readAll(insights);
    await sender.send(scenario.events);
    await group.caughtUp();
    expect(await readAll(insights)).toEqual(before);
  });

  it('dead-letters an event its contract refuses, and goes on', async () => {
    const probe = await EventProbe.start({ topic: dlqTopicOf(ticketTopic.name) });
    try {
      const valid = eventOf(ticketCreated, 'T-bad', '2026-03-02T00:00:00.000Z', {
        ticketId: 'T-bad',
        version: 0,
        jurisdiction: COMMUNITY_1,
        channel: 'hotline',
        category: 'repair',
      });
      await sender.sendRaw(ticketTopic.name, {
        ...valid,
        data: { ...(valid.data as Json), category: 'nonsense' },
      });
      await probe.waitFor((event) => event.id === valid.id);
    } finally {
      await probe.stop();
    }
    await group.caughtUp();
  });

  it('refuses bad input with 400 naming the field, and an unknown indicator with 404', async () => {
    const bad = await call(
      insights,
      'GET',
      '/indicators/values?node=999999&period=fortnight&date=2026-02-30',
      supervisor(),
    );
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect((bad.body.errors as Json[]).map((e) => e.field).sort()).toEqual(['date', 'node', 'period']);

    const count = await call(
      insights,
      'GET',
      `/indicators/ticket-on-time-rate/trend?${month}&count=0`,
      supervisor(),
    );
    expect(count.status).toBe(400);
    expect((count.body.errors as Json[]).map((e) => e.field)).toEqual(['count']);

    expect(
      (await call(insights, 'GET', `/indicators/no-such-thing/trend?${month}`, supervisor())).status,
    ).toBe(404);
  });

  it('answers 404 for a node outside the caller’s jurisdiction, 403 to a role that does not read indicators', async () => {
    const outside = await call(
      insights,
      'GET',
      `/indicators/values?node=${XUANWU}&period=month&date=${MARCH}`,
      supervisor(GULOU),
    );
    expect(outside.status).toBe(404);
    const narrower = await call(insights, 'GET', `/indicators/values?node=${GULOU}`, supervisor(COMMUNITY_1));
    expect(narrower.status).toBe(404);
    const operator = await call(
      insights,
      'GET',
      `/indicators/values?${month}`,
      authHeader('operator', GULOU),
    );
    expect(operator.status).toBe(403);
  });

  it('gives any table as CSV (UTF-8 with BOM, a heading) and XLSX (opens with exceljs, the rows there)', async () => {
    const csv = await fetch(`${insights.url}/indicators/values?${month}&format=csv`, {
      headers: supervisor(),
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(
      /^attachment; filename=".+\.csv"; filename\*=UTF-8''/,
    );
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toContain('value');
    expect(lines).toHaveLength(1 + Object.keys(scenario.expected).length);

    const rows = [
      { name: '仙霞路社区', value: 0.5, note: '=HYPERLINK("x")' },
      { name: '苏州路社区', value: 1 },
    ];
    const xlsx = await fetch(`${insights.url}/exports?format=xlsx`, {
      method: 'POST',
      headers: { ...supervisor(), 'content-type': 'application/json' },
      body: JSON.stringify({
        title: '按社区 by community',
        columns: [
          { key: 'name', label: '社区' },
          { key: 'value', label: '值' },
          { key: 'note', label: '备注' },
        ],
        rows,
      }),
    });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    const cells = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(cells(1)).toEqual(['社区', '值', '备注']);
    expect(cells(2)).toEqual(['仙霞路社区', 0.5, `'=HYPERLINK("x")`]);
    expect(cells(3)).toEqual(['苏州路社区', 1]);

    const noColumns = await call(insights, 'POST', '/exports?format=csv', supervisor(), {
      title: 't',
      rows: [],
    });
    expect(noColumns.status).toBe(400);
    expect((noColumns.body.errors as Json[]).map((e) => e.field)).toContain('columns');
  });

  it('gives the same numbers after a rebuild: stop, empty, reset the group, start, replay every topic', async () => {
    const before = await readAll(insights);
    expect(await storedFacts()).toBeGreaterThan(0);
    // Refused while the service still consumes: nothing changed.
    const refused = await runRebuild();
    expect({ code: refused.code, output: refused.output }).toEqual({
      code: 2,
      output: expect.stringContaining('still has'),
    });

    await insights.stop();
    const rebuilt = await runRebuild();
    expect({ code: rebuilt.code, output: rebuilt.output }).toEqual({
      code: 0,
      output: expect.stringContaining('rebuilt'),
    });
    // The topics insights created keep every event (retention.ms=-1), or the rebuild would have warned.
    expect(rebuilt.output).not.toContain('do not keep their events');
    expect(await storedFacts()).toBe(0);

    insights = await startInsights();
    await group.caughtUp();
    expect(await readAll(insights)).toEqual(before);
  });
});
