// A session as the session commands answer with it. Only the mediator holding the case, supervisors and admins run
// them, so the minutes are whole. (The outcome and follow-up commands answer with the case view.)
import type { CaseState, Session } from '../cases/case.rules';
import type { SessionView } from './dto/session.dto';

export function toSessionView(state: CaseState, session: Session): SessionView {
  return {
    caseId: state.caseId,
    version: state.version,
    caseStatus: state.status,
    sessionId: session.sessionId,
    scheduledFor: session.scheduledFor.toISOString(),
    place: session.place,
    status: session.status,
    rescheduled: session.rescheduled,
    reminders: (session.reminders ?? []).map((reminder) => ({
      leadMinutes: reminder.leadMinutes,
      dueAt: reminder.dueAt.toISOString(),
      status: reminder.status,
      ...(reminder.sentAt ? { sentAt: reminder.sentAt.toISOString() } : {}),
    })),
    ...(session.attendance
      ? { attendance: session.attendance.map(({ partyId, present }) => ({ partyId, present })) }
      : {}),
    ...(session.minutes !== undefined ? { minutes: session.minutes } : {}),
    ...(session.heldAt ? { heldAt: session.heldAt.toISOString() } : {}),
  };
}
