// GeoReport v2 over HTTP: `/open311/v2/<resource>.<format>`, XML or JSON by the suffix, errors as the
// specification's error array. Public routes (no bearer token); creating a request needs an api_key.
import { IdempotencyKey, PublicRoute, type IdempotentRequest } from '@linli/platform';
import { Body, Controller, Get, Headers, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OPEN311_CONTENT_TYPES, splitFormat, type Open311Format } from './format';
import { serialize, type Open311Document } from './georeport.serializer';
import { Open311Error } from './open311.errors';
import { Open311ErrorFilter } from './open311-error.filter';
import { Open311Service } from './open311.service';
import type { RawParameters } from './parameters';
import { localeOf } from './services.rules';

type Resource = 'discovery' | 'services' | 'requests';

// Documented by the specification itself (and ADR 0016), not by our OpenAPI document: its paths carry the format.
@ApiExcludeController()
@PublicRoute()
@UseFilters(Open311ErrorFilter)
@Controller('open311')
export class Open311Controller {
  constructor(private readonly open311: Open311Service) {}

  /** Service discovery at the stable URL the specification asks for (`…/discovery.xml|json`). */
  @Get(':document')
  discovery(
    @Param('document') document: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    const format = this.formatOf(document, ['discovery']);
    send(reply, format, this.open311.discovery(baseUrlOf(request)));
  }

  @Get('v2/:resource')
  async list(
    @Param('resource') resource: string,
    @Query() query: RawParameters,
    @Headers('accept-language') language: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { name, format } = this.resourceOf(resource, ['discovery', 'services', 'requests']);
    this.open311.checkJurisdiction(query);
    const locale = localeOf(language);
    const document =
      name === 'discovery'
        ? this.open311.discovery(baseUrlOf(request))
        : name === 'services'
          ? this.open311.serviceList(locale)
          : await this.open311.listRequests(query, locale);
    send(reply, format, document);
  }

  @Get('v2/services/:service')
  definition(
    @Param('service') service: string,
    @Query() query: RawParameters,
    @Headers('accept-language') language: string | undefined,
    @Res() reply: FastifyReply,
  ): void {
    const { name, format } = this.named(service);
    this.open311.checkJurisdiction(query);
    send(reply, format, this.open311.serviceDefinition(name, localeOf(language)));
  }

  @Get('v2/requests/:request')
  async request(
    @Param('request') request: string,
    @Query() query: RawParameters,
    @Headers('accept-language') language: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { name, format } = this.named(request);
    this.open311.checkJurisdiction(query);
    send(reply, format, await this.open311.getRequest(name, localeOf(language)));
  }

  @Get('v2/tokens/:token')
  async token(
    @Param('token') token: string,
    @Query() query: RawParameters,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { name, format } = this.named(token);
    this.open311.checkJurisdiction(query);
    send(reply, format, await this.open311.token(name));
  }

  /** Form-encoded, as the specification sends it; a JSON body with the same names is read alike. */
  @Post('v2/:resource')
  async create(
    @Param('resource') resource: string,
    @Body() body: RawParameters | undefined,
    @Query() query: RawParameters,
    @Headers('accept-language') language: string | undefined,
    @IdempotencyKey() idempotencyKey: IdempotentRequest | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { format } = this.resourceOf(resource, ['requests']);
    // Parameters may come in the query string too (some clients put api_key there); the body wins.
    const parameters = { ...query, ...(body ?? {}) };
    this.open311.checkJurisdiction(parameters);
    // 200, not 201: the specification shows none other, and clients written against it check for it.
    send(reply, format, await this.open311.createRequest(parameters, localeOf(language), idempotencyKey));
  }

  private resourceOf(
    segment: string,
    served: readonly Resource[],
  ): { name: Resource; format: Open311Format } {
    const format = this.formatOf(segment, served);
    return { name: splitFormat(segment).name as Resource, format };
  }

  /** The format of a top-level resource: an unknown resource is a 404, before its format is looked at. */
  private formatOf(segment: string, served: readonly Resource[]): Open311Format {
    const { name, format, suffix } = splitFormat(segment);
    if (!(served as readonly string[]).includes(name)) {
      throw Open311Error.notFound(`${name} is not an Open311 resource`);
    }
    return format ?? this.unknownFormat(suffix);
  }

  private named(segment: string): { name: string; format: Open311Format } {
    const { name, format, suffix } = splitFormat(segment);
    return { name, format: format ?? this.unknownFormat(suffix) };
  }

  /** "400 - The URL request is invalid": the format is part of the URL, and only xml and json are served. */
  private unknownFormat(suffix: string | undefined): never {
    throw Open311Error.badRequest(
      suffix === undefined
        ? 'The URL names no format: end it in .xml or .json'
        : `Format ${suffix} is not served: use .xml or .json`,
    );
  }
}

function send(reply: FastifyReply, format: Open311Format, document: Open311Document): void {
  void reply
    .status(200)
    .header('content-type', OPEN311_CONTENT_TYPES[format])
    .send(serialize(document, format));
}

/** The URL this request came to, for discovery's endpoint url when OPEN311_PUBLIC_URL is not set. */
function baseUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
