// The sessions calendar: the sessions of a window (a week in the console) across the cases the caller may see — a
// mediator the cases they hold, supervisors and admins their jurisdiction's (or one mediator's). Entries carry no
// personal data, so the read is not a personal one.
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { ValidationError } from '@linli/platform';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CASE_TEXT_LIMITS } from '../cases/dto/case.dto';
import { CasesRepository } from '../cases/cases.repository';
import { CALENDAR_MAX_DAYS, calendarEntries, type CalendarEntry } from './session-calendar';

const DAY_MS = 24 * 60 * 60 * 1000;
/** More cases than any mediator has sessions with in a month; the answer stays bounded whatever the data. */
const CALENDAR_MAX_CASES = 500;

export class SessionCalendarQuery {
  @ApiProperty({
    description: 'Start of the window, included (ISO 8601 date-time)',
    example: '2026-11-30T00:00:00+08:00',
  })
  @IsISO8601({ strict: true, strictSeparator: true })
  from!: string;

  @ApiProperty({ description: `End of the window, excluded; at most ${CALENDAR_MAX_DAYS} days after from` })
  @IsISO8601({ strict: true, strictSeparator: true })
  to!: string;

  @ApiPropertyOptional({ description: "Supervisors and admins: one mediator's sessions (their provider id)" })
  @IsOptional()
  @IsString()
  @MaxLength(CASE_TEXT_LIMITS.id)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, { message: 'mediatorId must be an id' })
  mediatorId?: string;
}

export class CalendarEntryView {
  @ApiProperty() caseId!: string;
  @ApiProperty() sessionId!: string;
  @ApiProperty() scheduledFor!: string;
  @ApiProperty() place!: string;
  @ApiProperty({ enum: ['scheduled', 'held', 'cancelled'] }) status!: string;
  @ApiProperty() caseType!: string;
  @ApiProperty() caseStatus!: string;
  @ApiProperty() communityCode!: string;
}

export class CalendarPage {
  @ApiProperty({ type: [CalendarEntryView] }) items!: CalendarEntryView[];
}

@ApiTags('sessions')
@ApiBearerAuth()
@Controller('sessions')
@Roles('mediator', 'supervisor', 'admin')
export class SessionCalendarController {
  constructor(private readonly cases: CasesRepository) {}

  @Get()
  @ApiOkResponse({
    type: CalendarPage,
    description: 'Sessions in [from, to), by time; cancelled ones included',
  })
  async calendar(
    @Query() query: SessionCalendarQuery,
    @CurrentActor() actor: Actor,
  ): Promise<{ items: CalendarEntry[] }> {
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (to <= from) throw ValidationError.field('to', 'must be after from', 400);
    if (to.getTime() - from.getTime() > CALENDAR_MAX_DAYS * DAY_MS)
      throw ValidationError.field('to', `must be at most ${CALENDAR_MAX_DAYS} days after from`, 400);
    // A mediator sees the cases they hold, whatever mediatorId says; a mediator user without a provider holds none.
    const isStaff = actor.has('supervisor', 'admin');
    const mediatorId = isStaff ? query.mediatorId : actor.providerId;
    if (!isStaff && !mediatorId) return { items: [] };
    const cases = await this.cases.withSessionsBetween(from, to, actor, {
      ...(mediatorId ? { mediatorId } : {}),
      limit: CALENDAR_MAX_CASES,
    });
    return { items: calendarEntries(cases, from, to) };
  }
}
