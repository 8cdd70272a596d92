// HTTP of mediators' conflicts of interest: the mediator's own declarations, and a mediator's for supervisors.
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ConflictList, ConflictView, DeclareConflictDto } from './dto/conflict.dto';
import { MediatorsService } from './mediators.service';

@ApiTags('mediators')
@ApiBearerAuth()
@Controller('mediators')
export class MediatorsController {
  constructor(private readonly mediators: MediatorsService) {}

  @Post('me/conflicts')
  @Roles('mediator')
  @ApiCreatedResponse({ type: ConflictView, description: 'Masked as every read of it' })
  declare(@Body() body: DeclareConflictDto, @CurrentActor() actor: Actor): Promise<ConflictView> {
    return this.mediators.declare(body, actor);
  }

  @Get('me/conflicts')
  @Roles('mediator')
  @ApiOkResponse({ type: ConflictList })
  mine(@CurrentActor() actor: Actor): Promise<ConflictList> {
    return this.mediators.mine(actor);
  }

  @Delete('me/conflicts/:conflictId')
  @HttpCode(204)
  @Roles('mediator')
  @ApiNoContentResponse()
  withdraw(@Param('conflictId') conflictId: string, @CurrentActor() actor: Actor): Promise<void> {
    return this.mediators.withdraw(conflictId, actor);
  }

  @Get(':mediatorId/conflicts')
  @Roles('supervisor', 'admin')
  @ApiOkResponse({ type: ConflictList })
  of(@Param('mediatorId') mediatorId: string, @CurrentActor() actor: Actor): Promise<ConflictList> {
    return this.mediators.of(mediatorId, actor);
  }
}
