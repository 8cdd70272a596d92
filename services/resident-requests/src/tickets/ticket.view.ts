// The ticket as callers see it: dates as ISO strings, names from the catalogue and the administrative tree, and
// none of the internals (phone hash, outbox, event ids).
import { administrativeTree } from '@linli/divisions';
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
  /** In full for operators and supervisors (masking comes with issue 7). */
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

export function communityNameOf(code: string): string {
  return administrativeTree().get(code)?.name ?? code;
}

const iso = (date: Date) => date.toISOString();

export function toSummary(ticket: TicketState, category: CategoryDefinition | undefined): TicketSummary {
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
      address: ticket.place.address,
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

export function toView(ticket: TicketState, category: CategoryDefinition | undefined): TicketView {
  return {
    ...toSummary(ticket, category),
    reporter: {
      ...(ticket.reporter.name ? { name: ticket.reporter.name } : {}),
      ...(ticket.reporter.phone ? { phone: ticket.reporter.phone } : {}),
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
