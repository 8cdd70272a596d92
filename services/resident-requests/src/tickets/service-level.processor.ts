import {
  ScheduledJobProcessor,
  type ScheduledJobHandler,
  type ScheduledWorkContext,
} from '@linli/scheduling';
import { RequestJobs } from '../scheduling.jobs';
import type { DeadlineKind } from './ticket.rules';
import { TicketsService } from './tickets.service';

type Payload = { ticketId: string; kind: string; revision: number };

/** A service-level deadline (时限) passed: the service escalates once if the ticket still waits. */
@ScheduledJobProcessor(RequestJobs.serviceLevelDeadline)
export class ServiceLevelProcessor implements ScheduledJobHandler<Payload> {
  constructor(private readonly tickets: TicketsService) {}

  async run({ payload }: ScheduledWorkContext<Payload>): Promise<void> {
    if (payload.kind !== 'accept' && payload.kind !== 'resolve') return;
    await this.tickets.deadlinePassed(payload.ticketId, payload.kind as DeadlineKind, payload.revision);
  }
}
