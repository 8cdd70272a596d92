// A plan change replaces future visits end to end: the plan said Mondays and Thursdays, the change (made on the
// "Wednesday" before) says Mondays and Fridays. Thursday's visits are cancelled with their jobs withdrawn in dispatch
// (even the one a caregiver had already accepted), Friday's appear and are dispatched, Monday's stay the same visits
// with the same jobs: no duplicate visit, no orphan job left with a caregiver.
import {
  call,
  DAY_MS,
  eventually,
  jobWhen,
  localDate,
  localTime,
  offeredJob,
  operator,
  providerUser,
  registerCaregiver,
  registerElder,
  startPlatform,
  supervisor,
  visitsOf,
  weekdayOf,
  type ElderCarePlatform,
  type Json,
} from './support/linli';

/** Two weeks: at least one Thursday and one Friday ahead whatever today is. */
const HORIZON_DAYS = 14;

const weekday = (visit: Json) => weekdayOf(localDate(new Date(visit.dueAt)));
const open = (visit: Json) => !['cancelled'].includes(visit.status);

describe('elder-care: a plan change replaces future visits', () => {
  let platform: ElderCarePlatform;
  let caregiver: string;

  beforeAll(async () => {
    platform = await startPlatform(
      {
        VISIT_HORIZON_DAYS: String(HORIZON_DAYS),
        // Every visit of the horizon is handed to dispatch as soon as it exists, so each has a job to withdraw.
        VISIT_DISPATCH_LEAD_MS: String((HORIZON_DAYS + 1) * DAY_MS),
        OFFERS_PER_ROUND: '3',
      },
      { elderCare: true },
    );
    ({ providerId: caregiver } = await registerCaregiver(platform));
  });
  afterAll(() => platform?.stop());

  it('cancels Thursday’s visits and their jobs, adds Friday’s, keeps Monday’s: no duplicate, no orphan job', async () => {
    // Living with family and no hardship: only the plan's visits (no visit-and-discover ones).
    const elderId = await registerElder(platform, { livingSituation: 'with-family' });
    const startsOn = localDate(new Date());
    const bathing = (weekdays: string[]) => ({
      service: 'bathing',
      rhythm: { kind: 'weekly', weekdays, times: ['09:00'] },
      startsOn,
    });
    const cleaning = {
      service: 'cleaning',
      rhythm: { kind: 'weekly', weekdays: ['sat'], times: ['14:00'] },
      startsOn,
    };
    const window = `?from=${new Date(Date.now() - DAY_MS).toISOString()}&to=${new Date(Date.now() + (HORIZON_DAYS + 2) * DAY_MS).toISOString()}`;

    const created = await call(platform.elderCare, 'PUT', `/elders/${elderId}/care-plan`, operator, {
      items: [bathing(['mon', 'thu']), cleaning],
    });
    expect(created.status).toBe(201);
    const planStart = new Date();

    // Every visit of the first plan dispatched, its job offered to the caregiver.
    const firstVisits = await eventually('the first plan’s visits dispatched', async () => {
      const items = (await visitsOf(platform, elderId, window)).filter((v) => v.source === 'plan');
      const thursdays = items.filter((v) => v.service === 'bathing' && weekday(v) === 'thu');
      return thursdays.length > 0 && items.every((v) => Boolean(v.jobId)) ? items : undefined;
    });
    const thursdays = firstVisits.filter((v) => v.service === 'bathing' && weekday(v) === 'thu');
    const mondays = firstVisits.filter((v) => v.service === 'bathing' && weekday(v) === 'mon');
    const saturdays = firstVisits.filter((v) => v.service === 'cleaning');
    expect(
      firstVisits.filter((v) => v.service === 'bathing' && !['mon', 'thu'].includes(weekday(v))),
    ).toEqual([]);
    for (const visit of firstVisits) {
      await offeredJob(platform, caregiver, visit.jobId);
    }
    // The caregiver has already taken the first Thursday.
    const [taken] = thursdays;
    const me = providerUser(caregiver);
    expect((await call(platform.dispatch, 'POST', `/jobs/${taken.jobId}/accept`, me)).status).toBe(200);
    await eventually(`visit ${taken.visitId} assigned`, async () => {
      const reply = await call(platform.elderCare, 'GET', `/visits/${taken.visitId}`, supervisor);
      return reply.body.status === 'assigned' ? true : undefined;
    });

    // "Wednesday": the plan now says Mondays and Fridays.
    const changed = await call(platform.elderCare, 'PUT', `/elders/${elderId}/care-plan`, operator, {
      items: [bathing(['mon', 'fri']), cleaning],
      expectedVersion: created.body.version,
    });
    expect(changed.status).toBe(200);
    expect(changed.body.version).toBe(created.body.version + 1);
    const versions = await call(platform.elderCare, 'GET', `/elders/${elderId}/care-plan/versions`, operator);
    expect(versions.body.items.map((p: Json) => p.version)).toEqual([
      changed.body.version,
      created.body.version,
    ]);

    // Thursday's visits cancelled, each job withdrawn in dispatch, the accepted one too.
    for (const visit of thursdays) {
      await eventually(`visit ${visit.visitId} cancelled`, async () => {
        const reply = await call(platform.elderCare, 'GET', `/visits/${visit.visitId}`, supervisor);
        return reply.body.status === 'cancelled' ? reply.body : undefined;
      }).then((v) => expect(v.cancelReason).toBe('plan-changed'));
      await jobWhen(platform, visit.jobId, (job) => job.status === 'cancelled', 'is cancelled in dispatch');
    }
    const held = await call(platform.dispatch, 'GET', '/jobs/mine', me);
    expect(held.body.items.filter((j: Json) => j.jobId === taken.jobId && j.status !== 'cancelled')).toEqual(
      [],
    );

    // Friday's visits appear and are dispatched; Monday's and Saturday's are the same visits with the same jobs.
    const after = await eventually('the changed plan’s visits dispatched', async () => {
      const items = (await visitsOf(platform, elderId, window)).filter((v) => v.source === 'plan');
      const fridays = items.filter((v) => v.service === 'bathing' && weekday(v) === 'fri' && v.jobId);
      return fridays.length > 0 ? items : undefined;
    });
    const current = after.filter(open);
    for (const visit of [...mondays, ...saturdays]) {
      const now = current.find((v) => v.visitId === visit.visitId);
      expect(now).toMatchObject({ jobId: visit.jobId, attempt: visit.attempt });
    }
    expect(
      current
        .filter((v) => v.service === 'bathing')
        .map(weekday)
        .every((d) => ['mon', 'fri'].includes(d)),
    ).toBe(true);
    for (const visit of current)
      expect(localTime(new Date(visit.dueAt))).toBe(visit.service === 'bathing' ? '09:00' : '14:00');
    // No duplicate: one visit per id, and one open visit per service and time.
    expect(new Set(after.map((v) => v.visitId)).size).toBe(after.length);
    expect(new Set(current.map((v) => `${v.service}@${v.dueAt}`)).size).toBe(current.length);
    // Nothing of the old plan left open, nothing in the past created by the change.
    expect(current.some((v) => v.service === 'bathing' && weekday(v) === 'thu')).toBe(false);
    for (const visit of current)
      expect(new Date(visit.dueAt).getTime()).toBeGreaterThan(planStart.getTime() - 60_000);

    // No orphan job: every job of this elder's visits still offered to or held by the caregiver belongs to an open
    // visit as its current job.
    const currentJobs = new Set(current.map((v) => v.jobId));
    await eventually('the caregiver’s offers match the open visits', async () => {
      const offered = await call(platform.dispatch, 'GET', '/jobs/offered', me);
      const mine = offered.body.items.filter((j: Json) =>
        String(j.origin?.aggregateId).startsWith(`V${elderId}-`),
      );
      return mine.every((j: Json) => currentJobs.has(j.jobId)) ? true : undefined;
    });
    const offered = await call(platform.dispatch, 'GET', '/jobs/offered', me);
    const mine = offered.body.items.filter((j: Json) =>
      String(j.origin?.aggregateId).startsWith(`V${elderId}-`),
    );
    expect(mine.map((j: Json) => j.jobId).filter((id: string) => !currentJobs.has(id))).toEqual([]);
    const fridayJobs = current.filter((v) => weekday(v) === 'fri').map((v) => v.jobId);
    for (const jobId of fridayJobs) expect(mine.map((j: Json) => j.jobId)).toContain(jobId);
  });
});
