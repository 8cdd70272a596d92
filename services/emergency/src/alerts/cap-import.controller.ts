// POST /cap: CAP 1.2 XML of another authority posted in (application/xml, application/cap+xml or text/xml, at most
// CAP_MAX_BYTES: 413 over it). 201 with the new ids; 200 with the same ids when this CAP was imported before.
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { DomainError } from '@linli/platform';
import { Body, Controller, Headers, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { INCIDENT_WRITERS } from '../incidents/incidents.controller';
import { CapImportService } from './cap-import.service';

export const CAP_MEDIA_TYPES = ['application/xml', 'application/cap+xml', 'text/xml'] as const;

export class UnsupportedCapTypeError extends DomainError {
  readonly status = 415;
  readonly slug = 'unsupported-media-type';
  readonly title = 'Unsupported media type';
}

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('cap')
export class CapImportController {
  constructor(private readonly imports: CapImportService) {}

  @Post()
  @Roles(...INCIDENT_WRITERS)
  @ApiConsumes(...CAP_MEDIA_TYPES)
  @ApiQuery({
    name: 'areas',
    required: false,
    description:
      'Comma-separated division codes; required unless the CAP has GB/T 2260 / GB/T 10114 geocodes of yours',
  })
  async import(
    @Body() body: unknown,
    @Query('areas') areas: string | string[] | undefined,
    @Headers('content-type') contentType: string | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
    if (!(CAP_MEDIA_TYPES as readonly string[]).includes(mediaType) || typeof body !== 'string') {
      throw new UnsupportedCapTypeError(`CAP is posted as ${CAP_MEDIA_TYPES.join(', ')}`);
    }
    // areas=a,b or areas=a&areas=b alike.
    const codes = Array.isArray(areas) ? areas.join(',') : areas;
    const result = await this.imports.import(body, codes, actor);
    void reply.status(result.created ? 201 : 200);
    return { incidentId: result.incidentId, alertId: result.alertId, sequence: result.sequence };
  }
}
