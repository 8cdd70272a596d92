// Sessions and their reminders, and the outcome of a case (an agreement's follow-ups come from FollowUpsModule).
import { Module } from '@nestjs/common';
import { CaseStoreModule } from '../cases/case-store.module';
import { FollowUpsModule } from '../follow-ups/follow-ups.module';
import { OutcomesService } from './outcomes.service';
import { SessionReminderProcessor } from './session-reminder.processor';
import { SessionTimers } from './session-timers';
import { CaseTimersReconciler } from './case-timers.reconciler';
import { SessionCalendarController } from './session-calendar.controller';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [CaseStoreModule, FollowUpsModule],
  controllers: [SessionsController, SessionCalendarController],
  providers: [
    SessionTimers,
    SessionsService,
    OutcomesService,
    SessionReminderProcessor,
    CaseTimersReconciler,
  ],
  exports: [SessionTimers],
})
export class SessionsModule {}
