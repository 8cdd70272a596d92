// The daily horizon job (key: the local date): extends every elder's visits to the rolling horizon, then sets the
// next day's job. At start-up it makes sure today's job (run at once if its time has passed and it never ran) and
// tomorrow's exist, so the chain survives a failed run or a stopped service; and it sets the dispatch timer of any
// scheduled visit that lacks one (a crash between a visit's write and its timer's).
import { InjectConfig } from '@linli/platform';
import {
  Scheduler,
  ScheduledJobProcessor,
  type ScheduledJobHandler,
  type ScheduledWorkContext,
} from '@linli/scheduling';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ElderCareConfig } from '../config';
import { ElderCareJobs } from '../scheduling.jobs';
import { dateOfDay, instantAt, localDayOf } from './schedule.rules';
import { VisitPlanner } from './visit-planner';

type HorizonPayload = { date: string };

@ScheduledJobProcessor(ElderCareJobs.visitHorizon)
export class VisitHorizonProcessor implements ScheduledJobHandler<HorizonPayload>, OnApplicationBootstrap {
  private readonly logger = new Logger(VisitHorizonProcessor.name);

  constructor(
    private readonly planner: VisitPlanner,
    private readonly scheduler: Scheduler,
    @InjectConfig() private readonly config: ElderCareConfig,
  ) {}

  async run({ payload }: ScheduledWorkContext<HorizonPayload>): Promise<void> {
    await this.planner.extendHorizon(new Date());
    await this.scheduleDay(localDayOf(new Date(`${payload.date}T12:00:00+08:00`)) + 1, new Date());
  }

  onApplicationBootstrap(): void {
    // In the background: readiness must not wait for a pass over every scheduled visit.
    void this.startUp().catch((error: unknown) =>
      this.logger.error({ msg: 'visit horizon not set at start-up', error: String(error) }),
    );
  }

  async startUp(now = new Date()): Promise<void> {
    const today = localDayOf(now);
    await this.scheduleDay(today, now);
    await this.scheduleDay(today + 1, now);
    const timers = await this.planner.ensureDispatchTimers(now);
    this.logger.log({ msg: 'visit dispatch timers checked', visits: timers });
  }

  /** The horizon job of a local day at VISIT_HORIZON_TIME (at once if that has passed); a no-op when it exists. */
  private async scheduleDay(day: number, now: Date): Promise<void> {
    const at = instantAt(day, this.config.VISIT_HORIZON_TIME);
    const date = dateOfDay(day);
    await this.scheduler.schedule(ElderCareJobs.visitHorizon, {
      key: [date],
      dueAt: at.getTime() > now.getTime() ? at : now,
      payload: { date },
    });
  }
}
