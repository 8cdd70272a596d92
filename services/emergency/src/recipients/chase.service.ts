// The chase of an alert message's silent recipients (追踪未确认): at its deadline, those who have not answered get it
// again on their second channel (alert.resend-requested, batches of ≤500); at the end of the second chance, those
// still pending become silent and the coordinators are told (alert.escalated). Both steps can run twice with the
// same effect: each event rides on a chase document with a deterministic id.
import { MAX_RECIPIENTS_PER_EVENT, alertEscalated, alertResendRequested } from '@linli/contracts';
import { Scheduler } from '@linli/scheduling';
import { Injectable, Logger } from '@nestjs/common';
import { config } from '../config';
import { EmergencyJobs } from '../scheduling.jobs';
import { alertFactsOf, alertStreamEvent, isIssued } from './alert-facts';
import { AlertChasesRepository } from './alert-chases.repository';
import { AlertMessagesRepository } from './alert-messages.repository';
import { AlertRecipientsRepository } from './alert-recipients.repository';
import { chaseBatches, chaseSkip, escalationOf } from './recipient.rules';
import { escalationChaseIdOf, resendChaseIdOf, type AlertMessageDocument } from './recipient.schemas';

/** Rows read per round trip of the chase's cursor. */
const READ_BATCH = 1_000;

@Injectable()
export class ChaseService {
  private readonly logger = new Logger(ChaseService.name);

  constructor(
    private readonly messages: AlertMessagesRepository,
    private readonly rows: AlertRecipientsRepository,
    private readonly chases: AlertChasesRepository,
    private readonly scheduler: Scheduler,
  ) {}

  /** The message's acknowledgement deadline passed: re-send to everyone without an answer, in batches. */
  async resendDue(alertId: string, sequence: number, now = new Date()): Promise<void> {
    const message = await this.chasedMessage(alertId, sequence, now, 'resend');
    if (!message) return;
    const alert = alertFactsOf([message])!;

    // A re-run (after a crash) emits only for those no earlier batch named, numbering on from the last batch.
    const earlier = await this.chases.resendBatches(alertId, sequence);
    const named = new Set(earlier.flatMap((batch) => batch.recipientIds ?? []));
    const namedUnmarked: string[] = [];
    const rows = this.rows.toChase(alertId, READ_BATCH);
    async function* recipientIds(): AsyncGenerator<string> {
      for await (const row of rows) {
        if (named.has(row.recipientId) && row.resentSequence !== sequence)
          namedUnmarked.push(row.recipientId);
        yield row.recipientId;
      }
    }

    let batch = earlier.length;
    let resent = 0;
    for await (const ids of chaseBatches(recipientIds(), named, MAX_RECIPIENTS_PER_EVENT)) {
      batch += 1;
      const event = alertStreamEvent(alertResendRequested, alert, {
        alertId,
        version: message.version,
        jurisdiction: message.jurisdiction,
        incidentId: message.incidentId,
        sequence,
        batch,
        recipientIds: ids,
      });
      const stored = await this.chases.insert(
        {
          _id: resendChaseIdOf(alertId, sequence, batch),
          alertId,
          sequence,
          step: 'resend',
          batch,
          recipientIds: ids,
          createdAt: now,
        },
        event,
      );
      // Only another run of the same chase at the same time gets here (the scheduler runs one): start over.
      if (!stored) throw new Error(`chase batch ${resendChaseIdOf(alertId, sequence, batch)} exists already`);
      await this.rows.markResent(alertId, ids, sequence, now);
      resent += ids.length;
    }
    await this.rows.markResent(alertId, namedUnmarked, sequence, now);
    await this.messages.recordResendDone(alertId, sequence, now);
    this.logger.log({ msg: 'alert re-sent to the silent', alertId, sequence, resent, batches: batch });
  }

  /** The second chance ended: the still pending become silent, and the coordinators hear of them. */
  async silentDue(alertId: string, sequence: number, now = new Date()): Promise<void> {
    const message = await this.chasedMessage(alertId, sequence, now, 'silent');
    if (!message) return;
    if (!message.resendDoneAt) {
      // The re-send has not run (its job late, or both overdue after an outage): nobody is called silent without
      // their second chance. Re-send now, and end the second chance a full window later.
      await this.resendDue(alertId, sequence, now);
      const dueAt = new Date(now.getTime() + config.ALERT_RESEND_WINDOW_MS);
      await this.scheduler.schedule(EmergencyJobs.alertSilentAfter, {
        key: [alertId, sequence, 'after-late-resend'],
        dueAt,
        payload: { alertId, sequence },
      });
      this.logger.warn({ msg: 'second chance moved after a late re-send', alertId, sequence, dueAt });
      return;
    }
    const marked = await this.rows.markSilent(alertId, now);
    let silent = 0;
    let needsHelp = 0;
    for (const { status, count } of await this.rows.countByStatus(alertId)) {
      if (status === 'silent') silent += count;
      if (status === 'needs-help') needsHelp += count;
    }
    const escalation = escalationOf({ silent, needsHelp });
    this.logger.log({ msg: 'alert chase ended', alertId, sequence, marked, silent, needsHelp });
    if (!escalation) return;
    const alert = alertFactsOf([message])!;
    await this.chases.insert(
      {
        _id: escalationChaseIdOf(alertId, sequence),
        alertId,
        sequence,
        step: 'escalation',
        unacknowledgedCount: escalation.unacknowledgedCount,
        needsHelpCount: escalation.needsHelpCount,
        createdAt: now,
      },
      alertStreamEvent(alertEscalated, alert, {
        alertId,
        version: message.version,
        jurisdiction: message.jurisdiction,
        incidentId: message.incidentId,
        sequence,
        ...escalation,
      }),
    );
  }

  /** The message if its chase still runs (not cancelled, superseded or expired), else undefined. */
  private async chasedMessage(
    alertId: string,
    sequence: number,
    now: Date,
    step: string,
  ): Promise<AlertMessageDocument | undefined> {
    const message = await this.messages.get(alertId, sequence);
    if (!message || !isIssued(message)) {
      this.logger.warn({ msg: 'chase timer of an unknown alert message', alertId, sequence, step });
      return undefined;
    }
    const skip = chaseSkip(message, now);
    if (skip) {
      this.logger.log({ msg: 'alert chase step skipped', alertId, sequence, step, reason: skip });
      return undefined;
    }
    return message;
  }
}
