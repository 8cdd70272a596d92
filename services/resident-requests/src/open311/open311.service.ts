// The GeoReport v2 use cases over the ticket core: discovery, services and their definitions, creating a request
// (an Open311 client's ticket), finding requests. Reads are public and see the endpoint's whole area; creating
// needs a client's api_key and stays within that client's jurisdiction.
import { Actor } from '@linli/auth';
import { administrativeTree } from '@linli/divisions';
import { idempotencyRecord } from '@linli/persistence';
import { ValidationError, type IdempotentRequest } from '@linli/platform';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CatalogueService } from '../catalogue/catalogue.service';
import type { CreateTicketCommand, TicketListFilter } from '../tickets/ticket.commands';
import type { TicketSummary } from '../tickets/ticket.view';
import { TicketsService } from '../tickets/tickets.service';
import { Open311ClientsService } from './clients/open311-clients.service';
import type { Open311ClientDocument } from './clients/open311-client.schema';
import { parseSubmission, type Open311Submission } from './create-request.rules';
import type { Open311Document, Open311Object } from './georeport.serializer';
import { parseRequestsQuery } from './list-requests.rules';
import { OPEN311_CONFIG, type Open311Config } from './open311.config';
import { Open311Error, Open311Faults } from './open311.errors';
import { Open311SubmissionsRepository } from './open311-submissions.repository';
import { single, type RawParameters } from './parameters';
import { OPEN311_CHANNEL, toServiceRequest, type TicketFacts } from './request-view';
import { toServiceDefinition, toServiceList, type ServiceEntry } from './services.rules';
import { ticketStatusesOf, type Open311Locale } from './status.rules';

export const GEOREPORT_V2_SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
export const OPEN311_V2_PATH = '/open311/v2';

/** Where the fields of a ticket command come from in a GeoReport submission, for naming them in errors. */
const PARAMETER_OF_FIELD: Record<string, string> = {
  category: 'service_code',
  description: 'description',
  'reporter.name': 'first_name/last_name',
  'reporter.phone': 'phone',
  'reporter.vulnerable': 'attribute[vulnerable]',
  'place.communityCode': 'attribute[community_code]',
  'place.address': 'address_string',
  'place.location.lat': 'lat',
  'place.location.lng': 'long',
};

@Injectable()
export class Open311Service {
  private readonly logger = new Logger('Open311');
  /** The discovery changeset: the catalogue (hence the service definitions) changes only with a deployment. */
  private readonly changeset = new Date().toISOString();
  /** Who reads: the public, over the endpoint's whole area. */
  private readonly reader: Actor;

  constructor(
    private readonly tickets: TicketsService,
    private readonly catalogue: CatalogueService,
    private readonly clients: Open311ClientsService,
    private readonly submissions: Open311SubmissionsRepository,
    @Inject(OPEN311_CONFIG) private readonly config: Open311Config,
  ) {
    this.reader = new Actor('open311:public', ['operator'], config.OPEN311_AREA_CODE);
  }

  /** "jurisdiction_id": optional here (one jurisdiction per endpoint), but when given it must be ours. */
  checkJurisdiction(parameters: RawParameters): void {
    const faults = new Open311Faults();
    const jurisdiction = single(parameters, 'jurisdiction_id', faults);
    faults.throwIfAny();
    if (jurisdiction !== undefined && jurisdiction !== this.config.OPEN311_JURISDICTION_ID) {
      throw Open311Error.notFound(`jurisdiction_id ${jurisdiction} was not found`);
    }
  }

  discovery(baseUrl: string): Open311Document {
    return {
      root: 'discovery',
      body: {
        changeset: this.changeset,
        contact: this.config.OPEN311_CONTACT,
        key_service: this.config.OPEN311_KEY_SERVICE,
        endpoints: [
          {
            specification: GEOREPORT_V2_SPECIFICATION,
            url: `${this.config.OPEN311_PUBLIC_URL ?? baseUrl}${OPEN311_V2_PATH}`,
            changeset: this.changeset,
            type: this.config.OPEN311_ENDPOINT_TYPE,
            formats: ['text/xml', 'application/json'],
          },
        ],
      },
    };
  }

  serviceList(locale: Open311Locale): Open311Document {
    return { root: 'services', items: toServiceList(this.services(), locale) };
  }

  serviceDefinition(serviceCode: string, locale: Open311Locale): Open311Document {
    return { root: 'service_definition', body: toServiceDefinition(this.service(serviceCode), locale) };
  }

  /** Under an Idempotency-Key, a client's retry answers the request its first call created (ADR 0035). */
  async createRequest(
    parameters: RawParameters,
    locale: Open311Locale,
    idempotencyKey?: IdempotentRequest,
  ): Promise<Open311Document> {
    const client = await this.authenticate(parameters);
    // A service code we do not have is a 404 ("service_code … was not found"), before any other fault.
    const faults = new Open311Faults();
    const serviceCode = single(parameters, 'service_code', faults);
    if (serviceCode !== undefined) this.service(serviceCode);
    const submission = parseSubmission(parameters, administrativeTree());
    if (!submission.communityCode.startsWith(client.jurisdiction)) {
      throw Open311Error.forbidden(
        `This api_key may not report requests in community ${submission.communityCode}`,
      );
    }
    const actor = new Actor(`open311:${client.name}`, ['operator'], client.jurisdiction);
    const ticket = await this.tickets
      .create(
        this.commandOf(submission),
        actor,
        idempotencyRecord(idempotencyKey, actor.userId, 'tickets.create'),
      )
      .catch((error: unknown) => Promise.reject(inParameterNames(error)));
    await this.submissions.insert({
      _id: ticket.ticketId,
      client: client.name,
      ...(submission.mediaUrl ? { mediaUrl: submission.mediaUrl } : {}),
      ...(submission.accountId ? { accountId: submission.accountId } : {}),
      createdAt: new Date(),
    });
    this.logger.log({ msg: 'open311 request created', ticketId: ticket.ticketId, client: client.name });
    const view = toServiceRequest(factsOf(ticket), locale);
    return {
      root: 'service_requests',
      items: [
        {
          service_request_id: ticket.ticketId,
          service_notice: view.service_notice ?? null,
          account_id: submission.accountId ?? null,
        },
      ],
    };
  }

  async listRequests(
    parameters: RawParameters,
    locale: Open311Locale,
    now = new Date(),
  ): Promise<Open311Document> {
    const query = parseRequestsQuery(parameters, now);
    if (query.kind === 'ids') {
      return this.requestsDocument(await this.collect({ ids: query.ids }, 1, query.ids.length), locale);
    }
    const known = new Set(this.services().map((service) => service.code));
    const categories = query.serviceCodes?.filter((code) => known.has(code));
    // Only unknown service codes asked for: nothing can match.
    if (categories && categories.length === 0) return { root: 'service_requests', items: [] };
    const statuses = query.statuses?.flatMap((status) => ticketStatusesOf(status));
    const filter: TicketListFilter = {
      ...(categories ? { category: categories } : {}),
      ...(statuses ? { status: statuses } : {}),
      createdFrom: query.from,
      // The core's end is exclusive; end_date is "the latest datetime to include".
      createdTo: new Date(query.to.getTime() + 1),
    };
    return this.requestsDocument(await this.collect(filter, query.page, query.pageSize), locale);
  }

  async getRequest(ticketId: string, locale: Open311Locale): Promise<Open311Document> {
    return this.requestsDocument([await this.ticket(ticketId)], locale);
  }

  /** We answer with ids at once, so every id is its own token: the lookup confirms the request exists. */
  async token(token: string): Promise<Open311Document> {
    const ticket = await this.ticket(token, `token ${token} was not found`);
    return { root: 'service_requests', items: [{ service_request_id: ticket.ticketId, token }] };
  }

  private async ticket(
    ticketId: string,
    notFound = `service_request_id ${ticketId} was not found`,
  ): Promise<TicketSummary> {
    const [ticket] = await this.collect({ ids: [ticketId] }, 1, 1);
    if (!ticket) throw Open311Error.notFound(notFound);
    return ticket;
  }

  /** A page of tickets, newest first, in the public reader's scope (the core serves up to 1000 at once). */
  private async collect(filter: TicketListFilter, page: number, pageSize: number): Promise<TicketSummary[]> {
    return (await this.tickets.list({ ...filter, page, pageSize }, this.reader, 'whole')).items;
  }

  private async requestsDocument(
    tickets: readonly TicketSummary[],
    locale: Open311Locale,
  ): Promise<Open311Document> {
    const extras = await this.submissions.byTicketIds(
      tickets.filter((ticket) => ticket.channel === OPEN311_CHANNEL).map((ticket) => ticket.ticketId),
    );
    return {
      root: 'service_requests',
      items: tickets.map((ticket): Open311Object =>
        toServiceRequest(factsOf(ticket), locale, extras.get(ticket.ticketId) ?? {}),
      ),
    };
  }

  private async authenticate(parameters: RawParameters): Promise<Open311ClientDocument> {
    const faults = new Open311Faults();
    const apiKey = single(parameters, 'api_key', faults);
    if (apiKey === undefined || !faults.empty) throw Open311Error.forbidden('api_key was not provided');
    const client = await this.clients.authenticate(apiKey);
    if (!client) throw Open311Error.forbidden('Invalid api_key received; the request was not created');
    return client;
  }

  private services(): readonly ServiceEntry[] {
    return this.catalogue.list();
  }

  private service(serviceCode: string): ServiceEntry {
    const service = this.services().find((entry) => entry.code === serviceCode);
    if (!service) throw Open311Error.notFound(`service_code ${serviceCode} was not found`);
    return service;
  }

  private commandOf(submission: Open311Submission): CreateTicketCommand {
    const service = this.service(submission.serviceCode);
    const tree = administrativeTree();
    return {
      channel: OPEN311_CHANNEL,
      category: submission.serviceCode,
      // Optional in GeoReport; a ticket always says what it is about.
      description: submission.description ?? service.name.zh,
      reporter: {
        ...submission.reporter,
        ...(submission.vulnerable.length > 0 ? { vulnerable: submission.vulnerable } : {}),
      },
      place: {
        communityCode: submission.communityCode,
        address:
          submission.addressString ?? tree.fullName(submission.communityCode) ?? submission.communityCode,
        ...(submission.location ? { location: submission.location } : {}),
      },
    };
  }
}

/** What the public view reads of a ticket; the community's full name stands in for a withheld address. */
function factsOf(ticket: TicketSummary): TicketFacts {
  return {
    ticketId: ticket.ticketId,
    status: ticket.status,
    channel: ticket.channel,
    category: ticket.category,
    categoryName: ticket.categoryName,
    description: ticket.description,
    priority: ticket.priority,
    place: {
      ...ticket.place,
      communityName: administrativeTree().fullName(ticket.place.communityCode) ?? ticket.place.communityName,
    },
    ...(ticket.routedTo ? { routedTo: ticket.routedTo } : {}),
    ...(ticket.cancelReason || ticket.closeReason
      ? { reason: ticket.cancelReason ?? ticket.closeReason }
      : {}),
    expectedAt: ticket.serviceLevel.resolveDueAt,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
  };
}

/** The core's validation speaks of command fields; an Open311 client knows the parameters it sent. */
function inParameterNames(error: unknown): unknown {
  if (!(error instanceof ValidationError)) return error;
  return Open311Error.badRequest(
    ...error.errors.map((e) => `${PARAMETER_OF_FIELD[e.field] ?? e.field}: ${e.message}`),
  );
}
