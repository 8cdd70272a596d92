// HTTP of welfare checks: the coordinator's board of an incident, and a check's result (the provider holding its
// job, or staff). DTOs in, views out; who may record what beyond the roles below is the service's.
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RecordResultDto, WelfareBoardQuery, WelfareBoardView, WelfareCheckView } from './dto/welfare.dto';
import { toWelfareCheckView } from './welfare.view';
import { WelfareService } from './welfare.service';

@ApiTags('welfare checks')
@ApiBearerAuth()
@Controller()
export class WelfareController {
  constructor(private readonly welfare: WelfareService) {}

  @Get('incidents/:incidentId/welfare-checks')
  @Roles('coordinator', 'supervisor', 'admin', 'operator')
  @ApiOkResponse({ type: WelfareBoardView, description: 'Counted by status; items in check-id order' })
  async board(
    @Param('incidentId') incidentId: string,
    @Query() query: WelfareBoardQuery,
    @CurrentActor() actor: Actor,
  ): Promise<WelfareBoardView> {
    const board = await this.welfare.board(incidentId, query, actor);
    return { incidentId, ...board, items: board.items.map(toWelfareCheckView) };
  }

  @Post('welfare-checks/:checkId/result')
  @HttpCode(200)
  @Roles('provider', 'coordinator', 'supervisor', 'admin')
  @ApiOkResponse({ type: WelfareCheckView })
  async recordResult(
    @Param('checkId') checkId: string,
    @Body() body: RecordResultDto,
    @CurrentActor() actor: Actor,
  ): Promise<WelfareCheckView> {
    return toWelfareCheckView(await this.welfare.recordResult(checkId, body, actor));
  }
}
