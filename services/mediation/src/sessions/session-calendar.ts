// The sessions of a time window across cases, for the mediator's week calendar: which cases' sessions fall in it,
// as calendar entries with nothing personal (no parties, no minutes). Pure, so the window's edges are tested.
import type { CaseState } from '../cases/case.rules';

/** Longest window one request may ask for: a month view, at most. */
export const CALENDAR_MAX_DAYS = 42;

export interface CalendarEntry {
  caseId: string;
  sessionId: string;
  scheduledFor: string;
  place: string;
  status: string;
  caseType: string;
  caseStatus: string;
  communityCode: string;
}

/** Every session of `cases` scheduled in [from, to), cancelled ones too (the calendar shows them struck), by time. */
export function calendarEntries(
  cases: readonly Pick<CaseState, 'caseId' | 'caseType' | 'status' | 'communityCode' | 'sessions'>[],
  from: Date,
  to: Date,
): CalendarEntry[] {
  const entries: CalendarEntry[] = [];
  for (const state of cases) {
    for (const session of state.sessions) {
      const at = new Date(session.scheduledFor);
      if (at < from || at >= to) continue;
      entries.push({
        caseId: state.caseId,
        sessionId: session.sessionId,
        scheduledFor: at.toISOString(),
        place: session.place,
        status: session.status,
        caseType: state.caseType,
        caseStatus: state.status,
        communityCode: state.communityCode,
      });
    }
  }
  return entries.sort(
    (a, b) =>
      a.scheduledFor.localeCompare(b.scheduledFor) ||
      a.caseId.localeCompare(b.caseId) ||
      a.sessionId.localeCompare(b.sessionId),
  );
}
