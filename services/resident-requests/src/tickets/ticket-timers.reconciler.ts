// At start-up, sets again the timers every waiting ticket should have: a ticket is written before its timers are
// set, so a crash in between would otherwise leave it without its service-level deadlines or its call-back.
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';

const BATCH_SIZE = 500;

@Injectable()
export class TicketTimersReconciler implements OnApplicationBootstrap {
  private readonly logger = new Logger(TicketTimersReconciler.name);

  constructor(
    private readonly repository: TicketsRepository,
    private readonly tickets: TicketsService,
  ) {}

  onApplicationBootstrap(): void {
    // In the background: readiness must not wait for a pass over every open ticket.
    void this.reconcile().catch((error: unknown) =>
      this.logger.error({ msg: 'ticket timers not reconciled', error: String(error) }),
    );
  }

  async reconcile(): Promise<number> {
    let count = 0;
    for await (const batch of this.repository.waitingTickets(BATCH_SIZE)) {
      for (const ticket of batch) await this.tickets.ensureTimers(ticket);
      count += batch.length;
    }
    this.logger.log({ msg: 'ticket timers reconciled', tickets: count });
    return count;
  }
}
