// What callers of TicketsService pass in: the HTTP controller, the Open311 module, and later other channels.
import type { TicketChannel, TicketStatus } from './ticket.rules';

/** A new ticket: the body of POST /tickets, and what Open311's create request maps to. */
export interface CreateTicketCommand {
  channel: TicketChannel;
  category: string;
  description: string;
  /**
   * Required (name and phone) on the operators' channels; an Open311 client may report anonymously, so on channel
   * `open311` the reporter, or either field, may be left out; a visit finding (channel `visit`) has none.
   */
  reporter?: { name?: string; phone?: string; vulnerable?: string[] };
  place: { communityCode: string; address: string; location?: { lat: number; lng: number } };
  /** The elder-care visit (走访) whose finding became this ticket. */
  sourceVisitId?: string;
}

export interface TicketListFilter {
  status?: TicketStatus[];
  category?: string[];
  channel?: TicketChannel[];
  /** A code prefix: a community, a street, a district. */
  community?: string;
  breached?: boolean;
  /** Created at or after. */
  createdFrom?: Date;
  /** Created before. */
  createdTo?: Date;
  ids?: string[];
  /** 1-based; default 1. */
  page?: number;
  /** Default 20; at most MAX_PAGE_SIZE. */
  pageSize?: number;
}
