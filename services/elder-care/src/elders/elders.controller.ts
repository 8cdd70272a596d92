// HTTP of the registry: elders (register, list, read, change, deactivate, reactivate), the CSV import and its
// reports, and the communities' emergency contact lists. DTOs in, views out.
import { AuditPersonalRead } from '@linli/audit';
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  CommunityContactsDto,
  CommunityContactsView,
  DeactivateElderDto,
  ElderPage,
  ElderView,
  ImportQuery,
  ImportReport,
  ListEldersQuery,
  RegisterElderDto,
  UpdateElderDto,
} from './dto/elder.dto';
import { ElderImportService, UnsupportedImportTypeError } from './elder-import.service';
import { toElderDetail, toElderView } from './elder.view';
import { EldersService } from './elders.service';

export const CSV_MEDIA_TYPE = 'text/csv';
const STAFF = ['admin', 'supervisor', 'coordinator', 'operator'] as const;
const REGISTRARS = ['admin', 'supervisor', 'operator'] as const;

@ApiTags('elders')
@ApiBearerAuth()
@Controller()
export class EldersController {
  constructor(
    private readonly elders: EldersService,
    private readonly imports: ElderImportService,
  ) {}

  @Post('elders')
  @Roles(...REGISTRARS)
  @ApiOkResponse({ type: ElderView })
  async register(@Body() body: RegisterElderDto, @CurrentActor() actor: Actor): Promise<ElderView> {
    return toElderDetail(await this.elders.register(body, actor), actor);
  }

  @Post('elders/import')
  @HttpCode(200)
  @Roles(...REGISTRARS)
  @ApiConsumes(CSV_MEDIA_TYPE)
  @ApiBody({ schema: { type: 'string', description: 'UTF-8 CSV with a header row (BOM allowed)' } })
  @ApiOkResponse({ type: ImportReport })
  async import(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Query() query: ImportQuery,
    @CurrentActor() actor: Actor,
  ): Promise<ImportReport> {
    const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
    if (mediaType !== CSV_MEDIA_TYPE || typeof body !== 'string') {
      throw new UnsupportedImportTypeError(`an elder list is posted as ${CSV_MEDIA_TYPE}`);
    }
    return this.imports.import(body, query.dryRun === 'true', actor);
  }

  @Get('elder-imports/:importId')
  @Roles(...STAFF)
  @ApiOkResponse({ type: ImportReport })
  async importReport(
    @Param('importId') importId: string,
    @CurrentActor() actor: Actor,
  ): Promise<ImportReport> {
    return this.imports.report(importId, actor);
  }

  @Get('elders')
  @Roles(...STAFF)
  @ApiOkResponse({ type: ElderPage })
  async list(@Query() query: ListEldersQuery, @CurrentActor() actor: Actor): Promise<ElderPage> {
    const result = await this.elders.list(query, actor);
    return { ...result, items: result.items.map((elder) => toElderView(elder)) };
  }

  @Get('elders/:elderId')
  @AuditPersonalRead('elder', ['name', 'identityNumber', 'phone', 'address', 'emergencyContacts'])
  @Roles(...STAFF)
  @ApiOkResponse({ type: ElderView })
  async get(@Param('elderId') elderId: string, @CurrentActor() actor: Actor): Promise<ElderView> {
    return toElderDetail(await this.elders.get(elderId, actor), actor);
  }

  @Patch('elders/:elderId')
  @Roles(...REGISTRARS)
  @ApiOkResponse({ type: ElderView })
  async update(
    @Param('elderId') elderId: string,
    @Body() body: UpdateElderDto,
    @CurrentActor() actor: Actor,
  ): Promise<ElderView> {
    return toElderDetail(await this.elders.update(elderId, body, actor), actor);
  }

  @Post('elders/:elderId/deactivate')
  @HttpCode(200)
  @Roles(...REGISTRARS)
  @ApiOkResponse({ type: ElderView })
  async deactivate(
    @Param('elderId') elderId: string,
    @Body() body: DeactivateElderDto,
    @CurrentActor() actor: Actor,
  ): Promise<ElderView> {
    return toElderDetail(await this.elders.deactivate(elderId, body.reason, actor), actor);
  }

  @Post('elders/:elderId/reactivate')
  @HttpCode(200)
  @Roles(...REGISTRARS)
  @ApiOkResponse({ type: ElderView })
  async reactivate(@Param('elderId') elderId: string, @CurrentActor() actor: Actor): Promise<ElderView> {
    return toElderDetail(await this.elders.reactivate(elderId, actor), actor);
  }

  @Put('communities/:code/emergency-contacts')
  @Roles('admin', 'supervisor')
  @ApiOkResponse({ type: CommunityContactsView })
  async replaceContacts(
    @Param('code') code: string,
    @Body() body: CommunityContactsDto,
    @CurrentActor() actor: Actor,
  ): Promise<CommunityContactsView> {
    return this.elders.replaceContacts(code, body.contacts, actor);
  }

  @Get('communities/:code/emergency-contacts')
  @AuditPersonalRead('community', ['contacts.name', 'contacts.phone'], { idParam: 'code' })
  @Roles(...STAFF)
  @ApiOkResponse({ type: CommunityContactsView })
  async contacts(@Param('code') code: string, @CurrentActor() actor: Actor): Promise<CommunityContactsView> {
    return this.elders.contactsOf(code, actor);
  }
}
