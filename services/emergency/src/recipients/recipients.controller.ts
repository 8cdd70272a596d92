// HTTP of who an alert reached: the list of its recipients by status (the coordinators' link after an escalation
// is `?status=silent`) and its board of counts.
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { BoardView, RecipientPage, RecipientsQuery } from './dto/recipient.dto';
import { RecipientsService } from './recipients.service';

const READERS = ['coordinator', 'supervisor', 'admin'] as const;

@ApiTags('alert recipients')
@ApiBearerAuth()
@Controller('alerts/:alertId')
export class RecipientsController {
  constructor(private readonly recipients: RecipientsService) {}

  @Get('recipients')
  @Roles(...READERS)
  @ApiOkResponse({ type: RecipientPage, description: 'In recipient id order' })
  list(
    @Param('alertId') alertId: string,
    @Query() query: RecipientsQuery,
    @CurrentActor() actor: Actor,
  ): Promise<RecipientPage> {
    return this.recipients.list(alertId, query, actor);
  }

  @Get('board')
  @Roles(...READERS)
  @ApiOkResponse({ type: BoardView })
  board(@Param('alertId') alertId: string, @CurrentActor() actor: Actor): Promise<BoardView> {
    return this.recipients.board(alertId, actor);
  }
}
