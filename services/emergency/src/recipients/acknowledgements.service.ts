// Answers to an alert (确认收到 / 我安全 / 需要帮助): from a signed-in recipient, from staff who took it by phone or in
// person, or from the link in an SMS. The first answer of a recipient wins and emits alert.acknowledged, once;
// a later one gets the answer recorded. A cancelled or expired alert still takes answers: people answer late.
import { runWithoutActor, type Actor } from '@linli/auth';
import { alertAcknowledged } from '@linli/contracts';
import { ForbiddenError, NotFoundError, ValidationError } from '@linli/platform';
import { Injectable } from '@nestjs/common';
import { config } from '../config';
import { isAckLinkToken } from './ack-link.token';
import { alertFactsOf, alertStreamEvent, isIssued, type AlertFacts } from './alert-facts';
import { AlertMessagesRepository } from './alert-messages.repository';
import { AlertRecipientsRepository } from './alert-recipients.repository';
import type { AcknowledgeDto, AcknowledgementView } from './dto/recipient.dto';
import {
  ACKNOWLEDGING_STAFF_ROLES,
  ON_BEHALF_CHANNELS,
  concernsUser,
  isAnswerable,
  recipientIdOf,
  staffReaches,
  statusAfter,
  type AcknowledgementResponse,
} from './recipient.rules';
import type { AlertRecipientDocument } from './recipient.schemas';

/** What events accept as a recipient id (contracts' Id). */
const RECIPIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

type Via = NonNullable<AlertRecipientDocument['acknowledgedVia']>;

interface Acknowledgement {
  alertId: string;
  recipientId: string;
  response: AcknowledgementResponse;
  via: Via;
  recordedBy?: string;
  /** Whether the caller may answer for this recipient of this alert (false: the alert "does not exist" for them). */
  allowed: (alert: AlertFacts, row: AlertRecipientDocument | undefined) => boolean;
  /** Staff need the alert's every area to be judged; a recipient's own answer needs only its references. */
  needsAllAreas: boolean;
}

export interface AcknowledgementResult {
  view: AcknowledgementView;
  created: boolean;
}

@Injectable()
export class AcknowledgementsService {
  constructor(
    private readonly rows: AlertRecipientsRepository,
    private readonly messages: AlertMessagesRepository,
  ) {}

  /** POST /alerts/:alertId/acknowledgements: the caller's own answer, or staff recording someone else's. */
  acknowledge(alertId: string, body: AcknowledgeDto, actor: Actor): Promise<AcknowledgementResult> {
    const own = recipientIdOf(actor);
    const recipientId = body.recipientId ?? own;
    const via: Via = body.channel ?? 'app';
    if (recipientId === own) {
      if (!RECIPIENT_ID.test(own))
        throw ValidationError.field('recipientId', 'your user id cannot be a recipient id; give recipientId');
      // The caller's own row is a relation, not a place (a provider from another district may be a recipient):
      // read outside the data layer's jurisdiction scope, and `allowed` decides (ADR 0028).
      return runWithoutActor(() =>
        this.record({
          alertId,
          recipientId,
          response: body.response,
          via,
          allowed: (alert, row) => row !== undefined || concernsUser(actor.jurisdiction, alert),
          needsAllAreas: false,
        }),
      );
    }
    if (!actor.has(...ACKNOWLEDGING_STAFF_ROLES))
      throw new ForbiddenError(
        `Only ${ACKNOWLEDGING_STAFF_ROLES.join(', ')} record an answer for someone else`,
      );
    if (!(ON_BEHALF_CHANNELS as readonly string[]).includes(via))
      throw ValidationError.field(
        'channel',
        `an answer recorded for someone else is ${ON_BEHALF_CHANNELS.join(' or ')}`,
      );
    return this.record({
      alertId,
      recipientId,
      response: body.response,
      via,
      recordedBy: actor.userId,
      allowed: (alert) => staffReaches(actor.jurisdiction, alert),
      needsAllAreas: true,
    });
  }

  /** The link in an SMS (no account): its token proves notifications sent the alert to this recipient. */
  /** 403 unless the token is the one the link of an SMS carries for this alert and recipient. */
  assertLink(alertId: string, recipientId: string, token: string): void {
    if (!isAckLinkToken(config.ALERT_ACK_LINK_KEY, alertId, recipientId, token))
      throw new ForbiddenError('This acknowledgement link is not valid');
  }

  acknowledgeByLink(
    alertId: string,
    recipientId: string,
    token: string,
    response: AcknowledgementResponse,
  ): Promise<AcknowledgementResult> {
    this.assertLink(alertId, recipientId, token);
    return this.record({
      alertId,
      recipientId,
      response,
      via: 'link',
      allowed: () => true,
      needsAllAreas: false,
    });
  }

  private async record(ack: Acknowledgement): Promise<AcknowledgementResult> {
    const row = await this.rows.get(ack.alertId, ack.recipientId);
    const alert = await this.alertOf(ack.alertId, ack.needsAllAreas ? undefined : row?.firstSequence);
    if (!alert || !ack.allowed(alert, row)) throw new NotFoundError('alert', ack.alertId);
    if (row && !isAnswerable(row.status)) return { view: toAcknowledgementView(row), created: false };

    const at = new Date();
    const event = alertStreamEvent(alertAcknowledged, alert, {
      alertId: alert.alertId,
      version: alert.version,
      jurisdiction: alert.jurisdiction,
      incidentId: alert.incidentId,
      recipientId: ack.recipientId,
      response: ack.response,
      channel: ack.via,
      issuedAt: alert.issuedAt.toISOString(),
    });
    const answered = await this.rows.answer(
      {
        alertId: ack.alertId,
        recipientId: ack.recipientId,
        jurisdiction: alert.jurisdiction,
        status: statusAfter(ack.response),
        response: ack.response,
        via: ack.via,
        at,
        ...(ack.recordedBy ? { recordedBy: ack.recordedBy } : {}),
      },
      event,
      row === undefined,
    );
    if (answered) return { view: toAcknowledgementView(answered), created: true };
    // Another answer of the same recipient won the race: it is the one recorded.
    const recorded = await this.rows.get(ack.alertId, ack.recipientId);
    if (!recorded) throw new Error(`recipient row ${ack.alertId}:${ack.recipientId} vanished`);
    return { view: toAcknowledgementView(recorded), created: false };
  }

  /** The alert from the message that reached the recipient (one read by id), else from all its messages. */
  private async alertOf(alertId: string, sequence: number | undefined): Promise<AlertFacts | undefined> {
    if (sequence !== undefined) {
      const message = await this.messages.get(alertId, sequence);
      if (message && isIssued(message)) return alertFactsOf([message]);
    }
    return alertFactsOf(await this.messages.ofAlert(alertId));
  }
}

export function toAcknowledgementView(row: AlertRecipientDocument): AcknowledgementView {
  return {
    alertId: row.alertId,
    recipientId: row.recipientId,
    status: row.status,
    ...(row.response ? { response: row.response } : {}),
    ...(row.acknowledgedVia ? { channel: row.acknowledgedVia } : {}),
    ...(row.acknowledgedAt ? { acknowledgedAt: new Date(row.acknowledgedAt).toISOString() } : {}),
  };
}
