// The planner listens to the service's own elder and care-plan streams: an elder registered, changed (living
// alone now, a hardship flag, consent withdrawn, inactive) or a plan changed is planned again. The outbox behind
// those events makes sure the planner hears of every change, even when the request that made it crashed after the
// write. Replanning is idempotent, so hearing twice does no harm.
import {
  carePlanChanged,
  elderRegistered,
  elderUpdated,
  type CloudEvent,
  type EventData,
} from '@linli/contracts';
import { OnEvent } from '@linli/messaging';
import { Injectable } from '@nestjs/common';
import { VisitPlanner } from './visit-planner';

@Injectable()
export class ElderEventsConsumer {
  constructor(private readonly planner: VisitPlanner) {}

  @OnEvent(elderRegistered)
  async onElderRegistered(event: CloudEvent<EventData<typeof elderRegistered>>): Promise<void> {
    await this.planner.replan(event.data.elderId);
  }

  @OnEvent(elderUpdated)
  async onElderUpdated(event: CloudEvent<EventData<typeof elderUpdated>>): Promise<void> {
    await this.planner.replan(event.data.elderId);
  }

  @OnEvent(carePlanChanged)
  async onCarePlanChanged(event: CloudEvent<EventData<typeof carePlanChanged>>): Promise<void> {
    await this.planner.replan(event.data.elderId);
  }
}
