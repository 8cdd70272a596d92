// Who an alert reached, from notifications' broadcast stream (a row per recipient, the count per message), and what
// coordinators see of them: the list by status and the board.
import type { Actor } from '@linli/auth';
import type {
  CloudEvent,
  EventData,
  broadcastCompleted,
  broadcastRecipientsResolved,
} from '@linli/contracts';
import { NotFoundError } from '@linli/platform';
import { Injectable } from '@nestjs/common';
import { config } from '../config';
import { alertFactsOf, type AlertFacts } from './alert-facts';
import { AlertMessagesRepository } from './alert-messages.repository';
import { AlertRecipientsRepository } from './alert-recipients.repository';
import type { BoardView, RecipientPage, RecipientRowView, RecipientsQuery } from './dto/recipient.dto';
import { boardOf, staffReaches } from './recipient.rules';
import type { AlertMessageDocument, AlertRecipientDocument } from './recipient.schemas';

const DEFAULT_PAGE_SIZE = 50;

@Injectable()
export class RecipientsService {
  constructor(
    private readonly rows: AlertRecipientsRepository,
    private readonly messages: AlertMessagesRepository,
  ) {}

  /** A batch of a message's recipients (maybe again): one row each, upserted; answers and chases kept. */
  async recordReached(event: CloudEvent<EventData<typeof broadcastRecipientsResolved>>): Promise<void> {
    const { origin, jurisdiction, recipients } = event.data;
    await this.rows.recordReached(origin.aggregateId, jurisdiction, origin.sequence, recipients, new Date());
  }

  async recordCompleted(event: CloudEvent<EventData<typeof broadcastCompleted>>): Promise<void> {
    const { origin, jurisdiction, recipientCount } = event.data;
    await this.messages.recordCompleted(
      origin.aggregateId,
      origin.sequence,
      jurisdiction,
      recipientCount,
      new Date(event.time),
    );
  }

  async list(alertId: string, query: RecipientsQuery, actor: Actor): Promise<RecipientPage> {
    await this.alertFor(alertId, actor);
    const page = query.page ?? 1;
    const pageSize = Math.min(query.pageSize ?? DEFAULT_PAGE_SIZE, config.MAX_PAGE_SIZE);
    const { items, total } = await this.rows.list(alertId, query.status, {
      skip: (page - 1) * pageSize,
      limit: pageSize,
    });
    return { items: items.map(toRecipientRowView), total, page, pageSize };
  }

  async board(alertId: string, actor: Actor): Promise<BoardView> {
    const { messages } = await this.alertFor(alertId, actor);
    const counts = await this.rows.countByStatus(alertId);
    return { alertId, ...boardOf(counts, messages) };
  }

  /** The alert if the actor's jurisdiction reaches it; 404 otherwise, as for an alert never issued. */
  private async alertFor(
    alertId: string,
    actor: Actor,
  ): Promise<{ alert: AlertFacts; messages: AlertMessageDocument[] }> {
    const messages = await this.messages.ofAlert(alertId);
    const alert = alertFactsOf(messages);
    if (!alert || !staffReaches(actor.jurisdiction, alert)) throw new NotFoundError('alert', alertId);
    return { alert, messages };
  }
}

export function toRecipientRowView(row: AlertRecipientDocument): RecipientRowView {
  const iso = (date: Date | undefined) => (date ? new Date(date).toISOString() : undefined);
  const view: RecipientRowView = {
    recipientId: row.recipientId,
    kind: row.kind ?? null,
    channel: row.channel ?? null,
    secondChannel: row.secondChannel ?? null,
    status: row.status,
    response: row.response,
    acknowledgedVia: row.acknowledgedVia,
    acknowledgedAt: iso(row.acknowledgedAt),
    resentAt: iso(row.resentAt),
    silentAt: iso(row.silentAt),
  };
  return Object.fromEntries(
    Object.entries(view).filter(([, value]) => value !== undefined),
  ) as RecipientRowView;
}
