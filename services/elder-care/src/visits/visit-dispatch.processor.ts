// The timer of a visit's lead time before it is due: hand it to dispatch (see VisitTimeline.dispatch).
import {
  ScheduledJobProcessor,
  type ScheduledJobHandler,
  type ScheduledWorkContext,
} from '@linli/scheduling';
import { ElderCareJobs } from '../scheduling.jobs';
import { VisitTimeline } from './visit-timeline.service';

type VisitDispatchPayload = { visitId: string };

@ScheduledJobProcessor(ElderCareJobs.visitDispatch)
export class VisitDispatchProcessor implements ScheduledJobHandler<VisitDispatchPayload> {
  constructor(private readonly timeline: VisitTimeline) {}

  run({ payload }: ScheduledWorkContext<VisitDispatchPayload>): Promise<void> {
    return this.timeline.dispatch(payload.visitId);
  }
}
