// Time limits against the real stack, shortened through configuration (3 s by default, 8 s for labour cases): a
// case past its limit escalates one level up, once; the one extension arms a new limit (a second is refused with
// the reason), and its breach escalates one level further; a supervisor escalates by hand.
import { caseTopic, type CloudEvent } from '@linli/contracts';
import { EventProbe } from '@linli/testing';
import {
  call,
  caseBody,
  eventually,
  GULOU,
  GULOU_STREET,
  mediatorUser,
  operator,
  startMediation,
  supervisor,
  unique,
  type Json,
  type ServiceProcess,
} from './support';

const CASE_TYPE = (name: string) => `linli.mediation.${name}.v1`;
const LIMIT_MS = 3_000;
const LABOUR_LIMIT_MS = 8_000;
const MAX_EXTENSION_MS = 60_000;
/** How long a test watches for an escalation that must not come, after the one that must. */
const QUIET_MS = 4_000;

describe('time limits', () => {
  let mediation: ServiceProcess;
  let caseEvents: EventProbe;

  beforeAll(async () => {
    mediation = await startMediation({
      CASE_TIME_LIMIT_MS: String(LIMIT_MS),
      CASE_TIME_LIMITS_BY_TYPE: JSON.stringify({ labour: LABOUR_LIMIT_MS }),
      CASE_MAX_EXTENSION_MS: String(MAX_EXTENSION_MS),
    });
    caseEvents = await EventProbe.start({ topic: caseTopic.name });
  });

  afterAll(async () => {
    await Promise.allSettled([mediation?.stop(), caseEvents?.stop()]);
  });

  const escalationsOf = (caseId: string): CloudEvent<Json>[] =>
    caseEvents.events.filter(
      (event) => event.subject === caseId && event.type === CASE_TYPE('case.escalated'),
    ) as CloudEvent<Json>[];

  async function waitForEscalations(caseId: string, count: number): Promise<CloudEvent<Json>[]> {
    return (await caseEvents.waitFor(
      (event) => event.subject === caseId && event.type === CASE_TYPE('case.escalated'),
      { count },
    )) as CloudEvent<Json>[];
  }

  /** Watches a while longer: no more escalations than `count` come (a redelivered or stale timer acts not). */
  async function staysAt(caseId: string, count: number): Promise<void> {
    const until = Date.now() + QUIET_MS;
    await eventually(
      'a quiet while',
      async () => {
        expect(escalationsOf(caseId)).toHaveLength(count);
        return Date.now() >= until ? true : undefined;
      },
      { timeoutMs: QUIET_MS + 5_000 },
    );
  }

  it('escalates a case past its limit one level up once; an extension’s breach goes one level further; no second extension', async () => {
    const holder = unique('med-');
    const as = mediatorUser(holder);
    const { body: opened } = await call(mediation, 'POST', '/cases', as, caseBody());
    expect(Date.parse(opened.timeLimitAt) - Date.parse(opened.openedAt)).toBe(LIMIT_MS);

    const [first] = await waitForEscalations(opened.caseId, 1);
    expect(first.data).toMatchObject({ reason: 'time-limit-breached', escalatedTo: GULOU_STREET, level: 1 });
    await staysAt(opened.caseId, 1);
    const breached = (await call(mediation, 'GET', `/cases/${opened.caseId}`, as)).body;
    expect(breached.withinTimeLimit).toBe(false);

    const untilAt = new Date(Date.now() + LIMIT_MS).toISOString();
    const extended = await call(mediation, 'POST', `/cases/${opened.caseId}/extend`, as, {
      untilAt,
      reason: '当事人住院，需延期 / a party is in hospital',
    });
    expect(extended.status).toBe(200);
    expect(extended.body).toMatchObject({
      timeLimitAt: untilAt,
      timeLimitBasis: 'extended',
      withinTimeLimit: true,
      extension: { previousTimeLimitAt: opened.timeLimitAt },
    });
    const [extension] = await caseEvents.waitFor(
      (event) => event.subject === opened.caseId && event.type === CASE_TYPE('case.time-limit-extended'),
    );
    expect(extension.data).toMatchObject({ previousTimeLimitAt: opened.timeLimitAt, timeLimitAt: untilAt });

    const second = await call(mediation, 'POST', `/cases/${opened.caseId}/extend`, supervisor(), {
      days: 1,
      reason: 'again',
    });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({
      detail: 'the time limit was already extended once',
      current: { status: 'assigned', version: extended.body.version },
    });

    const escalations = await waitForEscalations(opened.caseId, 2);
    expect(escalations[1].data).toMatchObject({
      reason: 'time-limit-breached',
      escalatedTo: GULOU,
      level: 2,
    });
    await staysAt(opened.caseId, 2);
    const view = (await call(mediation, 'GET', `/cases/${opened.caseId}`, supervisor())).body;
    expect(view.escalations.map((escalation: Json) => escalation.timeLimitAt)).toEqual([
      opened.timeLimitAt,
      untilAt,
    ]);
  });

  it('moves the limit when extended before it passes: the old limit escalates nothing, the new one once', async () => {
    const { body: opened } = await call(
      mediation,
      'POST',
      '/cases',
      operator(),
      caseBody({ caseType: 'labour' }),
    );
    expect(Date.parse(opened.timeLimitAt) - Date.parse(opened.openedAt)).toBe(LABOUR_LIMIT_MS);
    const untilAt = new Date(Date.parse(opened.timeLimitAt) + 4_000).toISOString();
    const extended = await call(mediation, 'POST', `/cases/${opened.caseId}/extend`, supervisor(), {
      untilAt,
      reason: '补充证据 / more evidence',
    });
    expect(extended.status).toBe(200);

    const [escalated] = await waitForEscalations(opened.caseId, 1);
    expect(Date.parse(escalated.time!)).toBeGreaterThanOrEqual(Date.parse(untilAt));
    await staysAt(opened.caseId, 1);
    const view = (await call(mediation, 'GET', `/cases/${opened.caseId}`, supervisor())).body;
    expect(view.escalations).toEqual([
      expect.objectContaining({ reason: 'time-limit-breached', level: 1, timeLimitAt: untilAt }),
    ]);
  });

  it('refuses a bad extension with the field named, and from those who may not extend', async () => {
    const holder = unique('med-');
    const { body: opened } = await call(mediation, 'POST', '/cases', mediatorUser(holder), caseBody());
    const extend = (headers: Record<string, string>, body: Json) =>
      call(mediation, 'POST', `/cases/${opened.caseId}/extend`, headers, body);

    const zero = await extend(supervisor(), { days: 0, reason: 'r' });
    expect(zero.status).toBe(400);
    expect(zero.body.errors).toEqual([expect.objectContaining({ field: 'days' })]);
    const both = await extend(supervisor(), { days: 1, untilAt: new Date().toISOString(), reason: 'r' });
    expect(both.status).toBe(400);
    expect(both.body.errors).toEqual([expect.objectContaining({ field: 'untilAt' })]);
    const tooFar = await extend(supervisor(), {
      untilAt: new Date(Date.parse(opened.timeLimitAt) + MAX_EXTENSION_MS + 1_000).toISOString(),
      reason: 'r',
    });
    expect(tooFar.status).toBe(400);
    expect(tooFar.body.errors).toEqual([expect.objectContaining({ field: 'untilAt' })]);
    const noReason = await extend(supervisor(), { days: 1 });
    expect(noReason.status).toBe(400);
    expect(new Set(noReason.body.errors.map((error: Json) => error.field))).toEqual(new Set(['reason']));

    expect((await extend(operator(), { days: 1, reason: 'r' })).status).toBe(403);
    expect((await extend(mediatorUser(unique('med-')), { days: 1, reason: 'r' })).status).toBe(403);
    const unchanged = (await call(mediation, 'GET', `/cases/${opened.caseId}`, supervisor())).body;
    expect(unchanged.extension).toBeUndefined();
  });

  it('lets a supervisor escalate by hand, one level up each time', async () => {
    const { body: opened } = await call(
      mediation,
      'POST',
      '/cases',
      operator(),
      caseBody({ caseType: 'labour' }),
    );
    expect(
      (await call(mediation, 'POST', `/cases/${opened.caseId}/escalate`, operator(), { note: 'n' })).status,
    ).toBe(403);
    const escalated = await call(mediation, 'POST', `/cases/${opened.caseId}/escalate`, supervisor(), {
      note: '双方情绪激动，需街道介入 / the street must step in',
    });
    expect(escalated.status).toBe(200);
    expect(escalated.body.escalations).toEqual([
      expect.objectContaining({ reason: 'manual', escalatedTo: GULOU_STREET, level: 1, actorId: 'sup-1' }),
    ]);
    const [event] = await waitForEscalations(opened.caseId, 1);
    expect(event.data).toMatchObject({
      reason: 'manual',
      escalatedTo: GULOU_STREET,
      level: 1,
      actorId: 'sup-1',
    });
  });
});
