// The priorities resident-requests gave dispute tickets (ticket.triaged), kept so that the ticket.routed that
// follows on the same partition can set the case's risk: ticket.routed carries no priority. One small document per
// ticket, the latest triage winning (by the ticket's version).
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Schema } from 'mongoose';

export const TICKET_PRIORITY_MODEL = 'TicketPriority';

export interface TicketPriorityDocument {
  _id: string; // the ticket id
  priority: string;
  version: number;
}

export const ticketPrioritySchema = new Schema<TicketPriorityDocument>(
  {
    _id: { type: String, required: true },
    priority: { type: String, required: true },
    version: { type: Number, required: true },
  },
  { collection: 'ticket_priorities', versionKey: false },
);

@Injectable()
export class TicketPrioritiesRepository {
  constructor(
    @InjectModel(TICKET_PRIORITY_MODEL) private readonly priorities: Model<TicketPriorityDocument>,
  ) {}

  /** Keeps the priority of the ticket's latest triage (an older one replayed changes nothing). */
  async remember(ticketId: string, priority: string, version: number): Promise<void> {
    const current = await this.priorities.findOne({ _id: ticketId }).lean<TicketPriorityDocument>().exec();
    if (current && current.version > version) return;
    await this.priorities
      .updateOne({ _id: ticketId }, { $set: { priority, version } }, { upsert: true })
      .exec();
  }

  async priorityOf(ticketId: string): Promise<string | undefined> {
    const document = await this.priorities.findOne({ _id: ticketId }).lean<TicketPriorityDocument>().exec();
    return document?.priority;
  }
}
