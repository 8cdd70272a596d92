import type { CaseState, Session } from '../cases/case.rules';
import { calendarEntries } from './session-calendar';

const session = (sessionId: string, at: string, status: Session['status'] = 'scheduled'): Session => ({
  sessionId,
  scheduledFor: new Date(at),
  place: '宁海路街道调解室',
  status,
  rescheduled: 0,
  minutes: '不应出现在日历里',
  reminders: [],
});

const state = (caseId: string, sessions: Session[]) =>
  ({
    caseId,
    caseType: 'neighbour',
    status: 'in-mediation',
    communityCode: '320106001003',
    sessions,
  }) as Pick<CaseState, 'caseId' | 'caseType' | 'status' | 'communityCode' | 'sessions'>;

describe('session calendar', () => {
  const from = new Date('2026-11-29T16:00:00Z'); // Monday 30 Nov 00:00 in China
  const to = new Date('2026-12-06T16:00:00Z');

  it('keeps the sessions in [from, to), in time order, with nothing personal', () => {
    const entries = calendarEntries(
      [
        state('C2', [session('S1', '2026-12-02T01:30:00Z'), session('S2', '2026-12-06T16:00:00Z')]),
        state('C1', [
          session('S1', '2026-11-29T15:59:59Z'),
          session('S2', '2026-11-29T16:00:00Z', 'held'),
          session('S3', '2026-12-02T01:30:00Z', 'cancelled'),
        ]),
      ],
      from,
      to,
    );
    expect(entries.map((e) => `${e.caseId}/${e.sessionId}/${e.status}`)).toEqual([
      'C1/S2/held',
      'C1/S3/cancelled',
      'C2/S1/scheduled',
    ]);
    expect(entries[0]).toEqual({
      caseId: 'C1',
      sessionId: 'S2',
      scheduledFor: '2026-11-29T16:00:00.000Z',
      place: '宁海路街道调解室',
      status: 'held',
      caseType: 'neighbour',
      caseStatus: 'in-mediation',
      communityCode: '320106001003',
    });
    expect(JSON.stringify(entries)).not.toContain('日历');
  });

  it('is empty for cases without sessions in the window', () => {
    expect(calendarEntries([state('C1', [])], from, to)).toEqual([]);
  });
});
