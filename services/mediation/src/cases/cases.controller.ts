// HTTP of cases: open, list, read, change, parties, assignment, recusal, extension, escalation, withdrawal. DTOs
// in, views out; who may do what beyond the roles below (the mediator holding the case) is the service's.
import { AuditPersonalRead } from '@linli/audit';
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { idempotencyRecord } from '@linli/persistence';
import { ApiIdempotencyKey, IdempotencyKey, type IdempotentRequest } from '@linli/platform';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { toCaseListItem, toCaseView } from './case.view';
import { CasesService } from './cases.service';
import {
  AssignDto,
  CasePage,
  CaseView,
  CreateCaseDto,
  EscalateDto,
  ExtendDto,
  ListCasesQuery,
  ReasonDto,
  ReplacePartiesDto,
  UpdateCaseDto,
} from './dto/case.dto';

const READERS = ['operator', 'mediator', 'supervisor', 'admin'] as const;
const CHANGERS = READERS;

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Post()
  @Roles(...READERS)
  @ApiCreatedResponse({ type: CaseView })
  @ApiIdempotencyKey()
  async open(
    @Body() body: CreateCaseDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: IdempotentRequest | undefined,
  ): Promise<CaseView> {
    const idempotency = idempotencyRecord(idempotencyKey, actor.userId, 'cases.open');
    return toCaseView(await this.cases.open(body, actor, idempotency), actor);
  }

  @Get()
  @Roles(...READERS)
  @ApiOkResponse({ type: CasePage, description: 'Newest first; parties counted, never named' })
  async list(@Query() query: ListCasesQuery, @CurrentActor() actor: Actor): Promise<CasePage> {
    const page = await this.cases.list(query, actor);
    const now = new Date();
    return { ...page, items: page.items.map((state) => toCaseListItem(state, now)) };
  }

  @Get(':caseId')
  @AuditPersonalRead('case', ['parties.name', 'parties.phone', 'parties.identityNumber', 'description'])
  @Roles(...READERS)
  @ApiOkResponse({ type: CaseView })
  async get(@Param('caseId') caseId: string, @CurrentActor() actor: Actor): Promise<CaseView> {
    return toCaseView(await this.cases.get(caseId, actor), actor);
  }

  @Patch(':caseId')
  @Roles(...CHANGERS)
  @ApiOkResponse({ type: CaseView })
  async update(
    @Param('caseId') caseId: string,
    @Body() body: UpdateCaseDto,
    @CurrentActor() actor: Actor,
  ): Promise<CaseView> {
    return toCaseView(await this.cases.update(caseId, body, actor), actor);
  }

  @Put(':caseId/parties')
  @Roles(...CHANGERS)
  @ApiOkResponse({ type: CaseView })
  async replaceParties(
    @Param('caseId') caseId: string,
    @Body() body: ReplacePartiesDto,
    @CurrentActor() actor: Actor,
  ): Promise<CaseView> {
    return toCaseView(await this.cases.replaceParties(caseId, body, actor), actor);
  }

  @Post(':caseId/assign')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @ApiOkResponse({ type: CaseView })
  async assign(
    @Param('caseId') caseId: string,
    @Body() body: AssignDto,
    @CurrentActor() actor: Actor,
  ): Promise<CaseView> {
    return toCaseView(await this.cases.assign(caseId, body, actor), actor);
  }

  @Post(':caseId/recuse')
  @HttpCode(200)
  @Roles('mediator')
  @ApiOkResponse({ type: CaseView })
  async recuse(
    @Param('caseId') caseId: string,
    @Body() body: ReasonDto,
    @CurrentActor() actor: Actor,
  ): Promise<CaseView> {
    return toCaseView(await this.cases.recuse(caseId, body.reason, actor), actor);
  }

  @Post(':caseId/extend')
  @HttpCode(200)
  @Roles('mediator', 'supervisor', 'admin')
  @ApiOkResponse({ type: CaseView })
  async extend(
    @Param('caseId') caseId: string,
    @Body() body: ExtendDto,
    @CurrentActor() actor: Actor,
  ): Promise<CaseView> {
    return toCaseView(await this.cases.extend(caseId, body, actor), actor);
  }

  @Post(':caseId/escalate')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @ApiOkResponse({ type: CaseView })
  async escalate(
    @Param('caseId') caseId: string,
    @Body() body: EscalateDto,
    @CurrentActor() actor: Actor,
  ): Promise<CaseView> {
    return toCaseView(await this.cases.escalate(caseId, body, actor), actor);
  }

  @Post(':caseId/withdraw')
  @HttpCode(200)
  @Roles(...CHANGERS)
  @ApiOkResponse({ type: CaseView })
  async withdraw(
    @Param('caseId') caseId: string,
    @Body() body: ReasonDto,
    @CurrentActor() actor: Actor,
  ): Promise<CaseView> {
    return toCaseView(await this.cases.withdraw(caseId, body.reason, actor), actor);
  }
}
