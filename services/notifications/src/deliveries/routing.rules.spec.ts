import {
  caseEscalated,
  elderEscalated,
  followUpDue,
  jobEscalated,
  jobOffered,
  sessionReminderDue,
  ticketCallbackDue,
  ticketEscalated,
} from '@linli/contracts';
import { routeOf } from './routing.rules';

const at = '2026-11-29T08:00:00.000Z';
const community = '320106001003';

describe('routing table', () => {
  it.each([
    [
      'job.offered → the provider',
      jobOffered.type,
      {
        jobId: 'J1',
        version: 2,
        jurisdiction: community,
        offerId: 'O1',
        providerId: 'P1',
        providerKind: 'volunteer',
        round: 1,
        expiresAt: at,
      },
      {
        template: 'job-offered',
        messageKey: 'job-offered:J1:O1',
        recipients: { kind: 'named', recipientId: 'P1' },
      },
    ],
    [
      'ticket.callback-due → its operator',
      ticketCallbackDue.type,
      { ticketId: 'T1', version: 5, jurisdiction: community, round: 1, attempt: 2, operatorId: 'op-7' },
      {
        template: 'ticket-callback-due',
        messageKey: 'ticket-callback-due:T1:1:2',
        recipients: { kind: 'named', recipientId: 'op-7' },
      },
    ],
    [
      'ticket.callback-due without operator → every operator covering the ticket',
      ticketCallbackDue.type,
      { ticketId: 'T1', version: 5, jurisdiction: community, round: 1, attempt: 1 },
      { recipients: { kind: 'covering', contactKind: 'operator', code: community, nearest: false } },
    ],
    [
      'ticket.escalated → the nearest supervisors',
      ticketEscalated.type,
      { ticketId: 'T1', version: 6, jurisdiction: community, reason: 'resolve-deadline-missed', level: 1 },
      {
        template: 'escalation',
        messageKey: 'ticket-escalated:T1:6',
        recipients: { kind: 'covering', contactKind: 'supervisor', code: community, nearest: true },
      },
    ],
    [
      'job.escalated → the nearest supervisors',
      jobEscalated.type,
      { jobId: 'J1', version: 4, jurisdiction: community, reason: 'no-provider', level: 1 },
      {
        messageKey: 'job-escalated:J1:4',
        recipients: { kind: 'covering', contactKind: 'supervisor', code: community, nearest: true },
      },
    ],
    [
      'case.escalated → the supervisors of the level it went to',
      caseEscalated.type,
      {
        caseId: 'C1',
        version: 9,
        jurisdiction: community,
        reason: 'time-limit-breached',
        escalatedTo: '320106001',
        level: 1,
      },
      {
        messageKey: 'case-escalated:C1:9',
        jurisdiction: '320106001',
        recipients: { kind: 'covering', contactKind: 'supervisor', code: '320106001', nearest: true },
      },
    ],
    [
      'elder.escalated → the nearest supervisors',
      elderEscalated.type,
      {
        elderId: 'E1',
        version: 3,
        jurisdiction: community,
        escalationId: 'X1',
        reason: 'missed-visits-in-a-row',
        visitIds: ['V1'],
        livingSituation: 'alone',
      },
      {
        messageKey: 'elder-escalated:E1:X1',
        recipients: { kind: 'covering', contactKind: 'supervisor', code: community, nearest: true },
      },
    ],
    [
      'session.reminder-due → the mediator',
      sessionReminderDue.type,
      {
        caseId: 'C1',
        version: 3,
        jurisdiction: community,
        sessionId: 'S1',
        mediatorId: 'M1',
        scheduledFor: at,
        leadMinutes: 60,
        audiences: ['mediator', 'parties'],
        partyCount: 2,
      },
      {
        template: 'session-reminder',
        messageKey: `session-reminder:C1:S1:${at}:60`,
        recipients: { kind: 'named', recipientId: 'M1' },
      },
    ],
    [
      'followup.due → the mediator',
      followUpDue.type,
      { caseId: 'C1', version: 12, jurisdiction: community, followUpId: 'F1', mediatorId: 'M1', dueAt: at },
      {
        template: 'followup-due',
        messageKey: 'followup-due:C1:F1',
        recipients: { kind: 'named', recipientId: 'M1' },
      },
    ],
  ])('%s', (_name, type, data, expected) => {
    expect(routeOf(type, data)).toMatchObject(expected);
  });

  it('sends nothing for a session reminder meant only for the parties', () => {
    expect(
      routeOf(sessionReminderDue.type, {
        caseId: 'C1',
        version: 3,
        jurisdiction: community,
        sessionId: 'S1',
        mediatorId: 'M1',
        scheduledFor: at,
        leadMinutes: 60,
        audiences: ['parties'],
        partyCount: 2,
      }),
    ).toBeUndefined();
  });

  it('sends nothing for an event it has no route for', () => {
    expect(routeOf('linli.dispatch.job.accepted.v1', {})).toBeUndefined();
  });

  it('maps a redelivered event to the same message key', () => {
    const data = {
      jobId: 'J1',
      version: 2,
      jurisdiction: community,
      offerId: 'O1',
      providerId: 'P1',
      providerKind: 'volunteer',
      round: 1,
      expiresAt: at,
    };
    expect(routeOf(jobOffered.type, data)?.messageKey).toBe(
      routeOf(jobOffered.type, { ...data })?.messageKey,
    );
  });
});
