// elder-care's visit findings (走访发现): each becomes one ticket of channel visit, triaged and dispatched like any.
import { type CloudEvent, type EventData, visitFindingReported } from '@linli/contracts';
import { OnEvent } from '@linli/messaging';
import { Injectable } from '@nestjs/common';
import { TicketsService } from './tickets.service';

@Injectable()
export class VisitFindingsConsumer {
  constructor(private readonly tickets: TicketsService) {}

  @OnEvent(visitFindingReported)
  async onFindingReported(event: CloudEvent<EventData<typeof visitFindingReported>>): Promise<void> {
    await this.tickets.openFromVisitFinding(event);
  }
}
