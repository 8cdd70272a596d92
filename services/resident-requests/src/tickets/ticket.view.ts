// The ticket as callers see it: dates as ISO strings, names from the catalogue and the administrative tree, and
// none of the internals (phone hash, outbox, event ids). The resident's phone and address are masked unless the
// caller's role and relation to the ticket need them whole (docs/adr/0027-masking-and-object-access.md).
import type { Actor } from '@linli/auth';
import { administrativeTree } from '@linli/divisions';
import { maskAddress, maskPhone } from '@linli/platform';
import type { ServiceClass } from '@linli/contracts';
import type {
  BilingualText,
  CategoryDefinition,
  TicketPriority,
  TicketRoute,
} from '../catalogue/catalogue.types';
import type { TicketState, TicketStatus, DeadlineKind, CallbackStatus } from './ticket.rules';

export interface TimelineEntryView {
  at: string;
  from?: TicketStatus;
  to: TicketStatus;
  actorId?: string;
  role?: string;
  reason?: string;
  note?: string;
}

export interface TicketSummary {
  ticketId: string;
  status: TicketStatus;
  channel: string;
  category: string;
  categoryName: BilingualText;
  serviceClass: ServiceClass;
  priority: { level: TicketPriority; source: 'rules' | 'override'; reason?: string };
  description: string;
  place: {
    communityCode: string;
    communityName: string;
    address: string;
    location?: { lat: number; lng: number };
  };
  jurisdiction: string;
  likelyDuplicateOf?: string;
  sourceVisitId?: string;
  routedTo?: TicketRoute;
  jobId?: string;
  assignment?: { providerId: string; providerKind?: string; acceptedAt: string };
  jobEscalated: boolean;
  /** A service level was missed: shown in every list, filterable with breached=true. */
  breached: boolean;
  serviceLevel: {
    acceptDueAt: string;
    resolveDueAt: string;
    breached: boolean;
    breaches: { kind: DeadlineKind; dueAt: string; at: string }[];
  };
  callback?: { dueAt: string; attempts: number; status: CallbackStatus };
  satisfaction?: { score: number; comment?: string };
  resolution?: string;
  closeReason?: string;
  cancelReason?: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface TicketView extends TicketSummary {
  /** The phone whole for the operator handling the ticket, masked (138****5678) for everyone else. */
  reporter: { name?: string; phone?: string; vulnerable: string[] };
  timeline: TimelineEntryView[];
}

/** What the provider holding the job may know of the resident, while holding it. */
export interface ContactView {
  ticketId: string;
  name?: string;
  phone?: string;
  address: string;
  description: string;
  communityName: string;
  /** A visit finding's ticket (no reporter): the visit it was found on, which names the elder in elder-care. */
  sourceVisitId?: string;
}

/** Whether a view shows the resident's phone and address whole or masked. */
export type Disclosure = 'whole' | 'masked';

/**
 * The ticket's detail (and the call-back worklist, which is a list of people to call back) shows the contact whole
 * to operators: they handle the tickets of their jurisdiction, call the reporter and send the job. The repository
 * has already refused tickets outside the caller's jurisdiction (404). Supervisors and admins oversee and do not
 * call: masked. Lists of tickets are always masked (toSummary).
 */
export function ticketDisclosureFor(actor: Actor): Disclosure {
  return actor.has('operator') ? 'whole' : 'masked';
}

/**
 * GET /tickets/:id/contact: whole for the provider holding the job and the mediator holding the case (the caller
 * decides the relation, holdsTicket), and for the handling operator; masked for supervisors and admins.
 */
export function contactDisclosureFor(actor: Actor, holdsTheTicket: boolean): Disclosure {
  return holdsTheTicket || actor.has('operator') ? 'whole' : 'masked';
}

function phoneFor(phone: string, disclosure: Disclosure): string {
  return disclosure === 'whole' ? phone : maskPhone(phone);
}

function addressFor(address: string, disclosure: Disclosure): string {
  return disclosure === 'whole' ? address : maskAddress(address);
}

export function communityNameOf(code: string): string {
  return administrativeTree().get(code)?.name ?? code;
}

const iso = (date: Date) => date.toISOString();

/** A ticket in a list: the address always cut after the road, whoever asks (lists are for overseeing). */
export function toSummary(
  ticket: TicketState,
  category: CategoryDefinition | undefined,
  disclosure: Disclosure = 'masked',
): TicketSummary {
  const { serviceLevel } = ticket;
  return {
    ticketId: ticket.ticketId,
    status: ticket.status,
    channel: ticket.channel,
    category: ticket.category,
    categoryName: category?.name ?? { zh: ticket.category, en: ticket.category },
    serviceClass: ticket.serviceClass,
    priority: { ...ticket.priority },
    description: ticket.description,
    place: {
      communityCode: ticket.place.communityCode,
      communityName: communityNameOf(ticket.place.communityCode),
      address: addressFor(ticket.place.address, disclosure),
      ...(ticket.place.location ? { location: { ...ticket.place.location } } : {}),
    },
    jurisdiction: ticket.jurisdiction,
    ...(ticket.likelyDuplicateOf ? { likelyDuplicateOf: ticket.likelyDuplicateOf } : {}),
    ...(ticket.sourceVisitId ? { sourceVisitId: ticket.sourceVisitId } : {}),
    ...(ticket.routedTo ? { routedTo: ticket.routedTo } : {}),
    ...(ticket.jobId ? { jobId: ticket.jobId } : {}),
    ...(ticket.assignment
      ? {
          assignment: {
            providerId: ticket.assignment.providerId,
            ...(ticket.assignment.providerKind ? { providerKind: ticket.assignment.providerKind } : {}),
            acceptedAt: iso(ticket.assignment.acceptedAt),
          },
        }
      : {}),
    jobEscalated: ticket.jobEscalated,
    breached: serviceLevel.breached,
    serviceLevel: {
      acceptDueAt: iso(serviceLevel.acceptDueAt),
      resolveDueAt: iso(serviceLevel.resolveDueAt),
      breached: serviceLevel.breached,
      breaches: serviceLevel.breaches.map((b) => ({ kind: b.kind, dueAt: iso(b.dueAt), at: iso(b.at) })),
    },
    ...(ticket.callback
      ? {
          callback: {
            dueAt: iso(ticket.callback.dueAt),
            attempts: ticket.callback.attempts,
            status: ticket.callback.status,
          },
        }
      : {}),
    ...(ticket.satisfaction
      ? {
          satisfaction: {
            score: ticket.satisfaction.score,
            ...(ticket.satisfaction.comment ? { comment: ticket.satisfaction.comment } : {}),
          },
        }
      : {}),
    ...(ticket.resolution ? { resolution: ticket.resolution } : {}),
    ...(ticket.closeReason ? { closeReason: ticket.closeReason } : {}),
    ...(ticket.cancelReason ? { cancelReason: ticket.cancelReason } : {}),
    createdAt: iso(ticket.createdAt),
    updatedAt: iso(ticket.updatedAt),
    version: ticket.version,
  };
}

/** A ticket's detail, its contact shown as `disclosure` says (ticketDisclosureFor). */
export function toView(
  ticket: TicketState,
  category: CategoryDefinition | undefined,
  disclosure: Disclosure,
): TicketView {
  return {
    ...toSummary(ticket, category, disclosure),
    reporter: {
      ...(ticket.reporter.name ? { name: ticket.reporter.name } : {}),
      ...(ticket.reporter.phone ? { phone: phoneFor(ticket.reporter.phone, disclosure) } : {}),
      vulnerable: [...ticket.reporter.vulnerable],
    },
    timeline: ticket.timeline.map((entry) => ({
      at: iso(entry.at),
      ...(entry.from ? { from: entry.from } : {}),
      to: entry.to,
      ...(entry.actorId ? { actorId: entry.actorId } : {}),
      ...(entry.role ? { role: entry.role } : {}),
      ...(entry.reason ? { reason: entry.reason } : {}),
      ...(entry.note ? { note: entry.note } : {}),
    })),
  };
}

/** What GET /tickets/:id/contact answers, shown as `disclosure` says (contactDisclosureFor). */
export function toContactView(ticket: TicketState, disclosure: Disclosure): ContactView {
  return {
    ticketId: ticket.ticketId,
    ...(ticket.reporter.name ? { name: ticket.reporter.name } : {}),
    ...(ticket.reporter.phone ? { phone: phoneFor(ticket.reporter.phone, disclosure) } : {}),
    address: addressFor(ticket.place.address, disclosure),
    description: ticket.description,
    communityName: communityNameOf(ticket.place.communityCode),
    ...(ticket.sourceVisitId ? { sourceVisitId: ticket.sourceVisitId } : {}),
  };
}
