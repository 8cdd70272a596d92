// The case as a caller sees it. Parties' names, phones and identity numbers, the description, minutes, the
// outcome's reason and the agreement's text are personal. Parties' phones and identity numbers are whole only for
// the mediator holding the case (who calls them); names and texts also for the supervisors and admins of its
// jurisdiction, who oversee the case but do not call (docs/adr/0027-masking-and-object-access.md); everything is
// masked for everyone else (operators, other mediators). Lists never name parties: they count them.
import type { Actor } from '@linli/auth';
import { administrativeTree } from '@linli/divisions';
import { maskIdentityNumber, maskPhone } from '@linli/platform';
import type { CaseListItem, CaseView, PartyView } from './dto/case.dto';
import {
  holdsCase,
  seesPersonalData,
  withinTimeLimit,
  type CaseState,
  type FollowUp,
  type Outcome,
  type Party,
  type Session,
} from './case.rules';

/** What a masked text reads as: its length, never its words. */
export function maskText(text: string): string {
  return `*** (${Array.from(text).length} characters)`;
}

/** 王秀英 → 王**: the family name stays, as on every Chinese form that masks a name. */
export function maskName(name: string): string {
  const characters = Array.from(name);
  return characters.length <= 1 ? '*' : `${characters[0]}${'*'.repeat(characters.length - 1)}`;
}

export function communityNameOf(code: string): string {
  return administrativeTree().get(code)?.name ?? code;
}

const iso = (date: Date | string | undefined) =>
  date === undefined ? undefined : new Date(date).toISOString();

function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== undefined && field !== null),
  ) as T;
}

/** A party: `whole` shows the name, `contactWhole` the phone and identity number (the holder's alone). */
export function partyView(party: Party, whole: boolean, contactWhole = whole): PartyView {
  return compact({
    partyId: party.partyId,
    role: party.role,
    name: whole ? party.name : maskName(party.name),
    phone: party.phone ? (contactWhole ? party.phone : maskPhone(party.phone)) : undefined,
    identityNumber: party.identityNumber
      ? contactWhole
        ? party.identityNumber
        : maskIdentityNumber(party.identityNumber)
      : undefined,
  });
}

function sessionView(session: Session, whole: boolean): Record<string, unknown> {
  return compact({
    sessionId: session.sessionId,
    scheduledFor: iso(session.scheduledFor),
    place: session.place,
    status: session.status,
    rescheduled: session.rescheduled,
    attendance: session.attendance?.map(({ partyId, present }) => ({ partyId, present })),
    minutes:
      session.minutes !== undefined && session.minutes !== null
        ? whole
          ? session.minutes
          : maskText(session.minutes)
        : undefined,
    heldAt: iso(session.heldAt ?? undefined),
    reminders: (session.reminders ?? []).map((reminder) =>
      compact({
        leadMinutes: reminder.leadMinutes,
        dueAt: iso(reminder.dueAt),
        status: reminder.status,
        sentAt: iso(reminder.sentAt ?? undefined),
      }),
    ),
  });
}

function outcomeView(outcome: Outcome, whole: boolean): Record<string, unknown> {
  const text = (value: string) => (whole ? value : maskText(value));
  return compact({
    kind: outcome.kind,
    reason: text(outcome.reason),
    at: iso(outcome.at),
    actorId: outcome.actorId,
    withinTimeLimit: outcome.withinTimeLimit,
    referredTo: outcome.referredTo,
    agreement: outcome.agreement
      ? {
          text: text(outcome.agreement.text),
          terms: outcome.agreement.terms.map((term) => ({
            termId: term.termId,
            text: text(term.text),
            dueDate: term.dueDate,
          })),
          followUpPlan: outcome.agreement.followUpPlan,
        }
      : undefined,
  });
}

function followUpView(followUp: FollowUp, whole: boolean): Record<string, unknown> {
  const note = (value?: string | null) =>
    value === undefined || value === null ? undefined : whole ? value : maskText(value);
  return compact({
    followUpId: followUp.followUpId,
    dueAt: iso(followUp.dueAt),
    termIds: followUp.termIds,
    status: followUp.status,
    result: followUp.result
      ? compact({
          terms: followUp.result.terms.map((term) => compact({ ...term, note: note(term.note) })),
          decision: followUp.result.decision,
          note: note(followUp.result.note),
          at: iso(followUp.result.at),
          actorId: followUp.result.actorId,
        })
      : undefined,
  });
}

function timeLimitBasis(state: CaseState): string {
  if ((state.previousOutcomes ?? []).length > 0 && !state.outcome) return 'reopened';
  return state.extension ? 'extended' : 'case-type-at-opening';
}

export function toCaseView(state: CaseState, actor: Actor, now: Date = new Date()): CaseView {
  const whole = seesPersonalData(actor, state);
  // Free texts (reasons, notes) may name people: masked like the description.
  const text = (value?: string | null) =>
    value === undefined || value === null ? undefined : whole ? value : maskText(value);
  return compact({
    caseId: state.caseId,
    version: state.version,
    status: state.status,
    caseType: state.caseType,
    riskLevel: state.riskLevel,
    source: state.source,
    ticketId: state.ticketId,
    communityCode: state.communityCode,
    communityName: communityNameOf(state.communityCode),
    personalData: whole ? 'whole' : 'masked',
    description: text(state.description)!,
    parties: state.parties.map((party) => partyView(party, whole, whole && holdsCase(actor, state))),
    openedAt: iso(state.openedAt)!,
    timeLimitAt: iso(state.timeLimitAt)!,
    timeLimitBasis: timeLimitBasis(state),
    extension: state.extension
      ? {
          at: iso(state.extension.at),
          actorId: state.extension.actorId,
          reason: text(state.extension.reason),
          previousTimeLimitAt: iso(state.extension.previousTimeLimitAt),
        }
      : undefined,
    withinTimeLimit: withinTimeLimit(state, now),
    mediator: state.mediator
      ? compact({
          mediatorId: state.mediator.mediatorId,
          via: state.mediator.via,
          at: iso(state.mediator.at),
          jobId: state.mediator.jobId,
          providerKind: state.mediator.providerKind,
        })
      : undefined,
    request: state.request
      ? {
          jobId: state.request.jobId,
          attempt: state.request.attempt,
          status: state.request.status,
          // Who is kept off the case says who declared a conflict: for those who run the case only.
          ...(actor.has('supervisor', 'admin') ? { excluded: state.request.excluded } : {}),
          at: iso(state.request.at),
        }
      : undefined,
    released: state.released.map((release) =>
      compact({ mediatorId: release.mediatorId, reason: release.reason, at: iso(release.at) }),
    ),
    sessions: state.sessions.map((session) => sessionView(session, whole)),
    outcome: state.outcome ? outcomeView(state.outcome, whole) : undefined,
    previousOutcomes: (state.previousOutcomes ?? []).map((outcome) => outcomeView(outcome, whole)),
    followUps: state.followUps.map((followUp) => followUpView(followUp, whole)),
    escalations: state.escalations.map((escalation) =>
      compact({
        reason: escalation.reason,
        escalatedTo: escalation.escalatedTo,
        level: escalation.level,
        at: iso(escalation.at),
        actorId: escalation.actorId,
        note: text(escalation.note),
        timeLimitAt: iso(escalation.timeLimitAt ?? undefined),
      }),
    ),
    closed: state.closed
      ? compact({ reason: state.closed.reason, at: iso(state.closed.at), actorId: state.closed.actorId })
      : undefined,
    timeline: state.timeline.map((entry) =>
      compact({ at: iso(entry.at), what: entry.what, actorId: entry.actorId, note: text(entry.note) }),
    ),
  }) as CaseView;
}

export function toCaseListItem(state: CaseState, now: Date = new Date()): CaseListItem {
  const last = state.escalations[state.escalations.length - 1];
  return compact({
    caseId: state.caseId,
    version: state.version,
    status: state.status,
    caseType: state.caseType,
    riskLevel: state.riskLevel,
    source: state.source,
    ticketId: state.ticketId,
    communityCode: state.communityCode,
    communityName: communityNameOf(state.communityCode),
    partyCount: state.parties.length,
    openedAt: iso(state.openedAt)!,
    timeLimitAt: iso(state.timeLimitAt)!,
    withinTimeLimit: withinTimeLimit(state, now),
    mediatorId: state.mediator?.mediatorId,
    requestStatus: state.request?.status,
    escalationLevel: state.escalations.length,
    escalatedTo: last?.escalatedTo,
    closedReason: state.closed?.reason,
  }) as CaseListItem;
}
