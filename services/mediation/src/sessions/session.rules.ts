// Sessions of a case and the reminders before them: who may run them, what scheduling, moving, calling off and
// recording a session change in the case, and which reminder timers each of those sets, moves or withdraws. Pure:
// no Nest, no mongoose, no I/O (unit-tested in session.rules.spec.ts). The callers apply the returned reminder
// actions to the scheduler after the case is written.
import type { Actor } from '@linli/auth';
import { ForbiddenError, ValidationError } from '@linli/platform';
import {
  assertCan,
  CaseConflictError,
  holdsCase,
  type CaseCommand,
  type CaseState,
  type Session,
  type SessionReminder,
} from '../cases/case.rules';

const MINUTE_MS = 60_000;
/** The parties a session needs: a dispute has two sides. */
export const MIN_SESSION_PARTIES = 2;

/** What the scheduler must do for a reminder once the case is stored. */
export interface ReminderAction {
  kind: 'schedule' | 'move' | 'cancel';
  sessionId: string;
  reminder: SessionReminder;
}

export interface SessionLimits {
  maxSessions: number;
  /** The reminder leads in ms (reminderLeads(config)). */
  leads: readonly number[];
}

/** The lead as people read it: whole minutes, at least one (tests shorten leads to seconds). */
export function leadMinutesOf(leadMs: number): number {
  return Math.max(1, Math.round(leadMs / MINUTE_MS));
}

/**
 * The key of a reminder's job: `[caseId, sessionId, lead]`, the lead in minutes when it is whole minutes (24 hours:
 * 1440), else `<ms>ms` so shortened leads stay apart; a reminder armed again after it was sent adds its round.
 */
export function reminderKey(
  caseId: string,
  sessionId: string,
  reminder: Pick<SessionReminder, 'leadMs' | 'round'>,
): Array<string | number> {
  const lead = reminder.leadMs % MINUTE_MS === 0 ? reminder.leadMs / MINUTE_MS : `${reminder.leadMs}ms`;
  return reminder.round === 0 ? [caseId, sessionId, lead] : [caseId, sessionId, lead, `r${reminder.round}`];
}

/** Reminders of a session at `scheduledFor`: one per lead whose time is still ahead, longest lead first. */
export function planReminders(scheduledFor: Date, leads: readonly number[], now: Date): SessionReminder[] {
  return [...new Set(leads)]
    .sort((a, b) => b - a)
    .map((leadMs) => ({ leadMs, dueAt: new Date(scheduledFor.getTime() - leadMs) }))
    .filter(({ dueAt }) => dueAt.getTime() > now.getTime())
    .map(({ leadMs, dueAt }) => ({
      leadMs,
      leadMinutes: leadMinutesOf(leadMs),
      dueAt,
      round: 0,
      status: 'pending' as const,
    }));
}

/** The latest reminder of a lead (earlier ones were sent before a move brought the lead ahead again). */
export function currentReminder(
  reminders: readonly SessionReminder[],
  leadMs: number,
): SessionReminder | undefined {
  for (let index = reminders.length - 1; index >= 0; index--) {
    if (reminders[index].leadMs === leadMs) return reminders[index];
  }
  return undefined;
}

/**
 * The reminders of a session moved to `scheduledFor`, so that exactly one set is pending after any number of
 * moves: a pending (or withdrawn, never sent) reminder whose new time is ahead is moved; one whose new time has
 * passed, or whose lead is no longer configured, is withdrawn; a lead with no reminder yet, or whose reminder was
 * already sent, gets a new one (the next round) when its new time is ahead.
 */
export function moveReminders(
  sessionId: string,
  reminders: readonly SessionReminder[],
  scheduledFor: Date,
  leads: readonly number[],
  now: Date,
): { reminders: SessionReminder[]; actions: ReminderAction[] } {
  const next = reminders.map((reminder) => ({ ...reminder }));
  const actions: ReminderAction[] = [];
  const configured = new Set(leads);
  const allLeads = [...new Set([...leads, ...next.map((reminder) => reminder.leadMs)])].sort((a, b) => b - a);
  for (const leadMs of allLeads) {
    const current = currentReminder(next, leadMs);
    const dueAt = new Date(scheduledFor.getTime() - leadMs);
    const ahead = configured.has(leadMs) && dueAt.getTime() > now.getTime();
    if (!ahead) {
      if (current?.status === 'pending') {
        current.status = 'cancelled';
        actions.push({ kind: 'cancel', sessionId, reminder: { ...current } });
      }
      continue;
    }
    if (current && current.status !== 'sent') {
      current.dueAt = dueAt;
      current.status = 'pending';
      actions.push({ kind: 'move', sessionId, reminder: { ...current } });
      continue;
    }
    const rounds = next.filter((reminder) => reminder.leadMs === leadMs).map((reminder) => reminder.round);
    const added: SessionReminder = {
      leadMs,
      leadMinutes: leadMinutesOf(leadMs),
      dueAt,
      round: rounds.length === 0 ? 0 : Math.max(...rounds) + 1,
      status: 'pending',
    };
    next.push(added);
    actions.push({ kind: 'schedule', sessionId, reminder: { ...added } });
  }
  return { reminders: next, actions };
}

/** Withdraws the pending reminders of a session (called off, held, or the case moved on). */
export function cancelReminders(
  sessionId: string,
  reminders: readonly SessionReminder[],
): { reminders: SessionReminder[]; actions: ReminderAction[] } {
  const actions: ReminderAction[] = [];
  const next = reminders.map((reminder) => {
    if (reminder.status !== 'pending') return { ...reminder };
    const cancelled = { ...reminder, status: 'cancelled' as const };
    actions.push({ kind: 'cancel', sessionId, reminder: { ...cancelled } });
    return cancelled;
  });
  return { reminders: next, actions };
}

/**
 * Who may schedule, move, call off and record sessions and record the outcome: the mediator holding the case,
 * and supervisors and admins of its jurisdiction (the scope already brought the case within theirs).
 */
export function assertConducts(actor: Actor, state: Pick<CaseState, 'caseId' | 'mediator'>): void {
  if (actor.has('supervisor', 'admin') || holdsCase(actor, state)) return;
  throw new ForbiddenError(`only the mediator holding case ${state.caseId}, or a supervisor, may do this`);
}

/** The reason a session command is refused in the case's state, in words; the state machine's otherwise. */
function assertSessionCommand(command: CaseCommand, state: CaseState): void {
  if (state.outcome || state.status === 'agreed' || state.status === 'closed') {
    throw new CaseConflictError(
      command,
      state,
      state.status === 'closed'
        ? `case ${state.caseId} is closed (${state.closed?.reason ?? 'closed'}): no more sessions`
        : `case ${state.caseId} already has its outcome: no more sessions`,
    );
  }
  if (state.status === 'open' || !state.mediator) {
    throw new CaseConflictError(
      command,
      state,
      `case ${state.caseId} is ${state.status}: a mediator must hold it before a session`,
    );
  }
  assertCan(command, state);
}

function findSession(state: CaseState, sessionId: string, command: CaseCommand): Session {
  const session = state.sessions.find((candidate) => candidate.sessionId === sessionId);
  if (!session) {
    throw new CaseConflictError(command, state, `case ${state.caseId} has no session ${sessionId}`);
  }
  return session;
}

function assertScheduled(state: CaseState, session: Session, command: CaseCommand, what: string): void {
  if (session.status !== 'scheduled') {
    throw new CaseConflictError(
      command,
      state,
      `session ${session.sessionId} is ${session.status}: only a scheduled session can be ${what}`,
    );
  }
}

function assertFuture(field: string, at: Date, now: Date): void {
  if (at.getTime() <= now.getTime()) throw ValidationError.field(field, 'must be in the future', 400);
}

/**
 * A new session on the draft `state`: the case must be held by a mediator, have its two parties recorded and room
 * for another session; the time is ahead. The case goes (or stays) in-mediation; its reminders are planned.
 */
export function scheduleSession(
  state: CaseState,
  input: { scheduledFor: Date; place: string },
  limits: SessionLimits,
  now: Date,
): { session: Session; actions: ReminderAction[] } {
  assertSessionCommand('schedule-session', state);
  if (state.parties.length < MIN_SESSION_PARTIES) {
    throw new CaseConflictError(
      'schedule-session',
      state,
      'a session needs the parties recorded: at least two',
    );
  }
  if (state.sessions.length >= limits.maxSessions) {
    throw new CaseConflictError(
      'schedule-session',
      state,
      `case ${state.caseId} has ${state.sessions.length} sessions: at most ${limits.maxSessions}`,
    );
  }
  assertFuture('scheduledFor', input.scheduledFor, now);
  const sessionId = `S${state.sessions.length + 1}`;
  const reminders = planReminders(input.scheduledFor, limits.leads, now);
  const session: Session = {
    sessionId,
    scheduledFor: input.scheduledFor,
    place: input.place,
    status: 'scheduled',
    rescheduled: 0,
    reminders,
  };
  state.sessions.push(session);
  state.status = 'in-mediation';
  return {
    session,
    actions: reminders.map((reminder) => ({
      kind: 'schedule' as const,
      sessionId,
      reminder: { ...reminder },
    })),
  };
}

/** Moves a scheduled session (and its reminders) on the draft `state`; the place may change with it. */
export function rescheduleSession(
  state: CaseState,
  sessionId: string,
  input: { scheduledFor: Date; place?: string },
  limits: Pick<SessionLimits, 'leads'>,
  now: Date,
): { session: Session; actions: ReminderAction[] } {
  assertSessionCommand('reschedule-session', state);
  const session = findSession(state, sessionId, 'reschedule-session');
  assertScheduled(state, session, 'reschedule-session', 'moved');
  assertFuture('scheduledFor', input.scheduledFor, now);
  const moved = moveReminders(sessionId, session.reminders, input.scheduledFor, limits.leads, now);
  session.scheduledFor = input.scheduledFor;
  if (input.place !== undefined) session.place = input.place;
  session.rescheduled += 1;
  session.reminders = moved.reminders;
  return { session, actions: moved.actions };
}

/** Calls off a scheduled session on the draft `state`, with its reminders. */
export function cancelSession(
  state: CaseState,
  sessionId: string,
): { session: Session; actions: ReminderAction[] } {
  assertSessionCommand('cancel-session', state);
  const session = findSession(state, sessionId, 'cancel-session');
  assertScheduled(state, session, 'cancel-session', 'called off');
  return { session, actions: withdraw(session) };
}

/**
 * Every scheduled session of the draft `state` called off with its reminders (an outcome, a mediator released, a
 * withdrawal): the sessions called off and the reminder actions.
 */
export function cancelScheduledSessions(state: CaseState): {
  sessions: Session[];
  actions: ReminderAction[];
} {
  const sessions = state.sessions.filter((session) => session.status === 'scheduled');
  return { sessions, actions: sessions.flatMap(withdraw) };
}

function withdraw(session: Session): ReminderAction[] {
  const cancelled = cancelReminders(session.sessionId, session.reminders);
  session.status = 'cancelled';
  session.reminders = cancelled.reminders;
  return cancelled.actions;
}

/**
 * Records a scheduled session as held on the draft `state`: attendance names every party of the case once, the
 * minutes are kept; its pending reminders are withdrawn.
 */
export function recordSession(
  state: CaseState,
  sessionId: string,
  input: { attendance: ReadonlyArray<{ partyId: string; present: boolean }>; minutes: string },
  now: Date,
): { session: Session; attended: number; absent: number; actions: ReminderAction[] } {
  assertSessionCommand('record-session', state);
  const session = findSession(state, sessionId, 'record-session');
  assertScheduled(state, session, 'record-session', 'recorded');
  const partyIds = state.parties.map((party) => party.partyId);
  const given = input.attendance.map((entry) => entry.partyId);
  const unknown = given.filter((partyId) => !partyIds.includes(partyId));
  const repeated = given.filter((partyId, index) => given.indexOf(partyId) !== index);
  const missing = partyIds.filter((partyId) => !given.includes(partyId));
  if (unknown.length > 0 || repeated.length > 0 || missing.length > 0) {
    const problems = [
      ...(unknown.length ? [`not parties of the case: ${unknown.join(', ')}`] : []),
      ...(repeated.length ? [`given twice: ${[...new Set(repeated)].join(', ')}`] : []),
      ...(missing.length ? [`missing: ${missing.join(', ')}`] : []),
    ];
    throw ValidationError.field(
      'attendance',
      `must name each party of the case once (${problems.join('; ')})`,
      400,
    );
  }
  const cancelled = cancelReminders(sessionId, session.reminders);
  session.status = 'held';
  session.attendance = input.attendance.map(({ partyId, present }) => ({ partyId, present }));
  session.minutes = input.minutes;
  session.heldAt = now;
  session.reminders = cancelled.reminders;
  const attended = input.attendance.filter((entry) => entry.present).length;
  return { session, attended, absent: input.attendance.length - attended, actions: cancelled.actions };
}

/**
 * The reminder a due job is for, if it is still to be sent: the session is scheduled and has not begun, and its
 * pending reminder of that job id is due at the job's time (a move gave it a new time, a send or a withdrawal
 * ended it: then nothing is sent). `jobIdOf` renders a reminder's job id.
 */
export function reminderToSend(
  state: CaseState,
  sessionId: string,
  job: { jobId: string; dueAt: Date },
  jobIdOf: (key: Array<string | number>) => string,
  now: Date,
): { session: Session; reminder: SessionReminder } | undefined {
  if (state.status !== 'in-mediation' || !state.mediator) return undefined;
  const session = state.sessions.find((candidate) => candidate.sessionId === sessionId);
  if (!session || session.status !== 'scheduled') return undefined;
  if (session.scheduledFor.getTime() <= now.getTime()) return undefined;
  const reminder = session.reminders.find(
    (candidate) =>
      candidate.status === 'pending' &&
      jobIdOf(reminderKey(state.caseId, sessionId, candidate)) === job.jobId,
  );
  if (!reminder || reminder.dueAt.getTime() !== job.dueAt.getTime()) return undefined;
  return { session, reminder };
}
