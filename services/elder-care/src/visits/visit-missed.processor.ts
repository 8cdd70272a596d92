// The timer of a dispatch's deadline: missed unless checked in (see VisitTimeline.missed).
import {
  ScheduledJobProcessor,
  type ScheduledJobHandler,
  type ScheduledWorkContext,
} from '@linli/scheduling';
import { ElderCareJobs } from '../scheduling.jobs';
import { VisitTimeline } from './visit-timeline.service';

type VisitMissedPayload = { visitId: string; attempt: number };

@ScheduledJobProcessor(ElderCareJobs.visitMissed)
export class VisitMissedProcessor implements ScheduledJobHandler<VisitMissedPayload> {
  constructor(private readonly timeline: VisitTimeline) {}

  run({ payload }: ScheduledWorkContext<VisitMissedPayload>): Promise<void> {
    return this.timeline.missed(payload.visitId, Number(payload.attempt));
  }
}
