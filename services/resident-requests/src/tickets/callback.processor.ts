import {
  ScheduledJobProcessor,
  type ScheduledJobHandler,
  type ScheduledWorkContext,
} from '@linli/scheduling';
import { RequestJobs } from '../scheduling.jobs';
import { TicketsService } from './tickets.service';

type Payload = { ticketId: string; round: number; attempt: number };

/** A call-back (回访) falls due: it enters the operators' worklist. */
@ScheduledJobProcessor(RequestJobs.callbackDue)
export class CallbackProcessor implements ScheduledJobHandler<Payload> {
  constructor(private readonly tickets: TicketsService) {}

  async run({ payload }: ScheduledWorkContext<Payload>): Promise<void> {
    await this.tickets.callbackDue(payload.ticketId, payload.round, payload.attempt);
  }
}
