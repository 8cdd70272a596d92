// The use cases of sessions: scheduling, moving, calling off and recording them (the mediator holding the case or
// a supervisor), and a reminder falling due. Each is one conditional write of the case with its events; the
// reminder timers follow once it is stored.
import type { Actor } from '@linli/auth';
import { sessionCancelled, sessionHeld, sessionReminderDue, sessionScheduled } from '@linli/contracts';
import { IdempotencyKeyReusedError, type IdempotencyRecord } from '@linli/persistence';
import { InjectConfig } from '@linli/platform';
import { Injectable, Logger } from '@nestjs/common';
import type { CaseState, Session } from '../cases/case.rules';
import { CaseWriter, type CaseDraft } from '../cases/case-writer';
import { reminderLeads, type MediationConfig } from '../config';
import type {
  RecordSessionDto,
  RescheduleSessionDto,
  ScheduleSessionDto,
  SessionView,
} from './dto/session.dto';
import { SessionTimers } from './session-timers';
import {
  assertConducts,
  cancelSession,
  recordSession,
  reminderToSend,
  rescheduleSession,
  scheduleSession,
  type ReminderAction,
} from './session.rules';
import { toSessionView } from './session.view';

/** The reminders go to both: the mediator, and the parties through their contacts kept here. */
const REMINDER_AUDIENCES = ['mediator', 'parties'] as const;

@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);

  constructor(
    private readonly writer: CaseWriter,
    private readonly timers: SessionTimers,
    @InjectConfig() private readonly config: MediationConfig,
  ) {}

  /** A new session (201): the case in mediation, session.scheduled, its reminders set. */
  /**
   * Under an Idempotency-Key (ADR 0035) a repeat answers the session the first call scheduled, as it is now, and
   * writes nothing: the key is on the session in the case, so a concurrent twin loses the version condition, reads
   * the case again and finds it.
   */
  async schedule(
    caseId: string,
    actor: Actor,
    command: ScheduleSessionDto,
    idempotency?: IdempotencyRecord,
  ): Promise<SessionView> {
    let sessionId = '';
    const saved = await this.writer.change(caseId, actor, (current, now) => {
      assertConducts(actor, current);
      const prior = idempotency && current.sessions.find((s) => s.idempotency?.key === idempotency.key);
      if (prior) {
        if (prior.idempotency?.request !== idempotency.request) throw new IdempotencyKeyReusedError();
        sessionId = prior.sessionId;
        return undefined;
      }
      const draft = this.writer.draft(current);
      const { session, actions } = scheduleSession(
        draft.state,
        { scheduledFor: new Date(command.scheduledFor), place: command.place },
        { maxSessions: this.config.MAX_SESSIONS, leads: reminderLeads(this.config) },
        now,
      );
      sessionId = session.sessionId;
      if (idempotency) session.idempotency = idempotency;
      this.scheduled(draft, current, session, false, actor, now, actions);
      return draft;
    });
    this.logger.log({ msg: 'session scheduled', caseId, sessionId });
    return this.view(saved, sessionId);
  }

  /** Moves a scheduled session: session.scheduled (rescheduled), each reminder moved, withdrawn or set. */
  async reschedule(
    caseId: string,
    sessionId: string,
    actor: Actor,
    command: RescheduleSessionDto,
  ): Promise<SessionView> {
    const saved = await this.writer.change(caseId, actor, (current, now) => {
      assertConducts(actor, current);
      const draft = this.writer.draft(current);
      const { session, actions } = rescheduleSession(
        draft.state,
        sessionId,
        {
          scheduledFor: new Date(command.scheduledFor),
          ...(command.place !== undefined ? { place: command.place } : {}),
        },
        { leads: reminderLeads(this.config) },
        now,
      );
      this.scheduled(draft, current, session, true, actor, now, actions);
      return draft;
    });
    this.logger.log({ msg: 'session moved', caseId, sessionId });
    return this.view(saved, sessionId);
  }

  /** Calls a scheduled session off with its reminders: session.cancelled. */
  async cancel(caseId: string, sessionId: string, actor: Actor): Promise<SessionView> {
    const saved = await this.writer.change(caseId, actor, (current, now) => {
      assertConducts(actor, current);
      const draft = this.writer.draft(current);
      const { actions } = cancelSession(draft.state, sessionId);
      draft.events.push(
        this.writer.event(sessionCancelled, current, {
          ...this.writer.ref(current),
          sessionId,
          actorId: actor.userId,
        }),
      );
      draft.state.timeline.push({
        at: now,
        what: `session ${sessionId} called off`,
        actorId: actor.userId,
      });
      draft.timers.push(...this.timers.timers(caseId, actions));
      return draft;
    });
    this.logger.log({ msg: 'session called off', caseId, sessionId });
    return this.view(saved, sessionId);
  }

  /** Records a session as held (attendance, minutes): session.held, its pending reminders withdrawn. */
  async record(
    caseId: string,
    sessionId: string,
    actor: Actor,
    command: RecordSessionDto,
  ): Promise<SessionView> {
    const saved = await this.writer.change(caseId, actor, (current, now) => {
      assertConducts(actor, current);
      const draft = this.writer.draft(current);
      const { attended, absent, actions } = recordSession(
        draft.state,
        sessionId,
        { attendance: command.attendance, minutes: command.minutes },
        now,
      );
      draft.events.push(
        this.writer.event(sessionHeld, current, {
          ...this.writer.ref(current),
          sessionId,
          attended,
          absent,
          actorId: actor.userId,
        }),
      );
      draft.state.timeline.push({
        at: now,
        what: `session ${sessionId} held (${attended} present, ${absent} absent)`,
        actorId: actor.userId,
      });
      draft.timers.push(...this.timers.timers(caseId, actions));
      return draft;
    });
    this.logger.log({ msg: 'session held', caseId, sessionId });
    return this.view(saved, sessionId);
  }

  /**
   * A reminder's timer fired: when its session is still scheduled at the time the reminder was set for, and it was
   * not sent, session.reminder-due goes out and the reminder is recorded as sent. Anything else (moved, called off,
   * held, sent already) does nothing, so a redelivered timer sends once.
   */
  async reminderDue(caseId: string, sessionId: string, job: { jobId: string; dueAt: Date }): Promise<void> {
    await this.writer.change(
      caseId,
      undefined,
      (current, now) => {
        const draft = this.writer.draft(current);
        const found = reminderToSend(draft.state, sessionId, job, (key) => this.timers.jobIdOf(key), now);
        if (!found) return undefined;
        const { session, reminder } = found;
        reminder.status = 'sent';
        reminder.sentAt = now;
        draft.events.push(
          this.writer.event(sessionReminderDue, current, {
            ...this.writer.ref(current),
            sessionId,
            mediatorId: current.mediator!.mediatorId,
            scheduledFor: session.scheduledFor.toISOString(),
            leadMinutes: reminder.leadMinutes,
            audiences: [...REMINDER_AUDIENCES],
            partyCount: current.parties.length,
          }),
        );
        this.logger.log({
          msg: 'session reminder due',
          caseId,
          sessionId,
          leadMinutes: reminder.leadMinutes,
        });
        return draft;
      },
      { missing: 'ignore' },
    );
  }

  private scheduled(
    draft: CaseDraft,
    current: CaseState,
    session: Session,
    rescheduled: boolean,
    actor: Actor,
    now: Date,
    actions: readonly ReminderAction[],
  ): void {
    draft.events.push(
      this.writer.event(sessionScheduled, current, {
        ...this.writer.ref(current),
        sessionId: session.sessionId,
        mediatorId: current.mediator!.mediatorId,
        scheduledFor: session.scheduledFor.toISOString(),
        rescheduled,
        actorId: actor.userId,
      }),
    );
    draft.state.timeline.push({
      at: now,
      what: `session ${session.sessionId} ${rescheduled ? 'moved' : 'scheduled'}`,
      actorId: actor.userId,
    });
    draft.timers.push(...this.timers.timers(current.caseId, actions));
  }

  private view(saved: CaseState | undefined, sessionId: string): SessionView {
    const session = saved!.sessions.find((candidate) => candidate.sessionId === sessionId)!;
    return toSessionView(saved!, session);
  }
}
