import {
  caseOpened,
  caseReopened,
  createEvent,
  elderRegistered,
  elderUpdated,
  jobAccepted,
  jobRequested,
  outcomeRecorded,
  ticketCreated,
  ticketResolved,
  ticketTriaged,
  type CloudEvent,
  type EventDefinition,
} from '@linli/contracts';
import {
  appliedAfter,
  isNews,
  onCaseOpened,
  onCaseReopened,
  onElderProfile,
  onJobAccepted,
  onJobRequested,
  onOutcomeRecorded,
  onTicketCreated,
  onTicketResolved,
  onTicketTriaged,
} from './projection.rules';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function event(definition: EventDefinition, time: string, data: Record<string, any>): CloudEvent<any> {
  return createEvent({ source: '/test', type: definition.type, subject: 's', time, data });
}

const C1 = '320106001003';
const ticketRef = { ticketId: 'T1', jurisdiction: C1 };

describe('which events are news to a fact', () => {
  it.each([
    ['no fact yet', undefined, 0, 'e1', true],
    ['a newer version', { version: 1, eventIds: ['e1'] }, 2, 'e2', true],
    ['an older version (a repeat)', { version: 2, eventIds: ['e2'] }, 1, 'e1', false],
    ['the same version, another event of the same write', { version: 0, eventIds: ['e1'] }, 0, 'e2', true],
    ['the same event again', { version: 0, eventIds: ['e1', 'e2'] }, 0, 'e2', false],
  ] as const)('%s', (_what, applied, version, id, news) => {
    expect(isNews(applied, version, id)).toBe(news);
  });

  it('keeps the ids of the current version only', () => {
    expect(appliedAfter({ version: 0, eventIds: ['e1'] }, 0, 'e2')).toEqual(['e1', 'e2']);
    expect(appliedAfter({ version: 0, eventIds: ['e1', 'e2'] }, 1, 'e3')).toEqual(['e3']);
    expect(appliedAfter(undefined, 0, 'e1')).toEqual(['e1']);
  });
});

describe('tickets', () => {
  const created = onTicketCreated(
    undefined,
    event(ticketCreated, '2026-03-02T01:00:00.000Z', {
      ...ticketRef,
      version: 0,
      channel: 'hotline',
      category: 'repair',
    }),
  );

  it('a ticket is created at its event time, and triage sets its deadline', () => {
    const triaged = onTicketTriaged(
      created,
      event(ticketTriaged, '2026-03-02T01:00:00.000Z', {
        ...ticketRef,
        version: 0,
        category: 'property',
        resolveDueAt: '2026-03-05T00:00:00.000Z',
      }),
    );
    expect(triaged).toEqual({
      ticketId: 'T1',
      version: 0,
      jurisdiction: C1,
      createdAt: new Date('2026-03-02T01:00:00.000Z'),
      category: 'property',
      resolveDueAt: new Date('2026-03-05T00:00:00.000Z'),
    });
  });

  it('the first resolution stays when a reopened ticket is resolved again', () => {
    const resolve = (time: string, version: number) =>
      event(ticketResolved, time, { ...ticketRef, version, resolution: 'done', callbackDueAt: time });
    const first = onTicketResolved(created, resolve('2026-03-03T00:00:00.000Z', 1));
    const second = onTicketResolved(first, resolve('2026-03-09T00:00:00.000Z', 4));
    expect(second?.firstResolvedAt).toEqual(new Date('2026-03-03T00:00:00.000Z'));
    expect(second?.version).toBe(4);
  });

  it('an event before the ticket is known changes nothing', () => {
    expect(
      onTicketTriaged(
        undefined,
        event(ticketTriaged, '2026-03-02T01:00:00.000Z', { ...ticketRef, version: 0 }),
      ),
    ).toBeUndefined();
  });
});

describe('jobs', () => {
  it('keeps the request time and the first acceptance with its provider', () => {
    const ref = { jobId: 'J1', jurisdiction: C1 };
    const requested = onJobRequested(
      undefined,
      event(jobRequested, '2026-03-02T01:00:00.000Z', {
        ...ref,
        origin: { service: 'elder-care', aggregateId: 'V1' },
      }),
    );
    const accepted = onJobAccepted(
      requested,
      event(jobAccepted, '2026-03-02T01:11:00.000Z', {
        ...ref,
        version: 1,
        providerId: 'P1',
        providerKind: 'volunteer',
      }),
    );
    expect(accepted).toEqual({
      jobId: 'J1',
      version: 1,
      jurisdiction: C1,
      originService: 'elder-care',
      requestedAt: new Date('2026-03-02T01:00:00.000Z'),
      acceptedAt: new Date('2026-03-02T01:11:00.000Z'),
      providerId: 'P1',
      providerKind: 'volunteer',
    });
  });
});

describe('elders', () => {
  const profile = (status: string, version: number) => ({
    elderId: 'E1',
    version,
    jurisdiction: C1,
    status,
    livingSituation: 'alone',
    hardship: ['low-income'],
  });

  it('opens an active span at registration, closes it when inactive, opens another when active again', () => {
    let elder = onElderProfile(
      undefined,
      event(elderRegistered, '2026-01-01T00:00:00.000Z', profile('active', 0)),
    );
    elder = onElderProfile(elder, event(elderUpdated, '2026-02-01T00:00:00.000Z', profile('inactive', 1)));
    elder = onElderProfile(elder, event(elderUpdated, '2026-02-10T00:00:00.000Z', profile('inactive', 2)));
    elder = onElderProfile(elder, event(elderUpdated, '2026-03-01T00:00:00.000Z', profile('active', 3)));
    expect(elder.activeSpans).toEqual([
      { from: new Date('2026-01-01T00:00:00.000Z'), to: new Date('2026-02-01T00:00:00.000Z') },
      { from: new Date('2026-03-01T00:00:00.000Z') },
    ]);
    expect(elder).toMatchObject({ version: 3, livingSituation: 'alone', hardship: ['low-income'] });
  });

  it('an elder registered inactive has no span', () => {
    expect(
      onElderProfile(undefined, event(elderRegistered, '2026-01-01T00:00:00.000Z', profile('inactive', 0)))
        .activeSpans,
    ).toEqual([]);
  });
});

describe('cases', () => {
  it('a reopened case drops the outcome it had and takes the new time limit', () => {
    const ref = { caseId: 'K1', jurisdiction: C1 };
    const opened = onCaseOpened(
      undefined,
      event(caseOpened, '2026-03-01T00:00:00.000Z', {
        ...ref,
        version: 0,
        timeLimitAt: '2026-03-20T00:00:00.000Z',
      }),
    );
    const concluded = onOutcomeRecorded(
      opened,
      event(outcomeRecorded, '2026-03-10T00:00:00.000Z', {
        ...ref,
        version: 3,
        outcome: 'agreement',
        withinTimeLimit: true,
      }),
    );
    expect(concluded).toMatchObject({ outcome: 'agreement', withinTimeLimit: true });
    const reopened = onCaseReopened(
      concluded,
      event(caseReopened, '2026-04-01T00:00:00.000Z', {
        ...ref,
        version: 5,
        timeLimitAt: '2026-04-20T00:00:00.000Z',
      }),
    );
    expect(reopened).toEqual({
      caseId: 'K1',
      version: 5,
      jurisdiction: C1,
      openedAt: new Date('2026-03-01T00:00:00.000Z'),
      timeLimitAt: new Date('2026-04-20T00:00:00.000Z'),
    });
  });
});
