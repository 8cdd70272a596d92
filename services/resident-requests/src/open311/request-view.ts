// A ticket as a GeoReport service request. Open311 reads are public (no key), so what leaves here is what the
// public may see: never the reporter's name or phone; and for tickets taken in by other channels (a hotline call
// about someone's flat) not the description, exact address or coordinates either, only the community. A request
// submitted through Open311 was published by its submitter, so its own description and location are shown.
import type { Open311Object } from './georeport.serializer';
import { w3cDateTime } from './parameters';
import { open311StatusOf, statusNotesOf, type Open311Locale, type TicketStatus } from './status.rules';

type Text = Record<Open311Locale, string>;

/** What the mapping reads of a ticket (a subset of the core's ticket view). */
export interface TicketFacts {
  ticketId: string;
  status: TicketStatus;
  channel: string;
  category: string;
  categoryName: Text;
  description?: string;
  priority?: { level: string };
  place: {
    communityCode: string;
    communityName?: string;
    address?: string;
    location?: { lat: number; lng: number };
  };
  routedTo?: string;
  /** Why it was closed or cancelled. */
  reason?: string;
  expectedAt?: Date | string;
  createdAt: Date | string;
  updatedAt: Date | string;
}

/** What the Open311 side keeps of a submission beyond the ticket. */
export interface SubmissionExtras {
  mediaUrl?: string;
}

export const OPEN311_CHANNEL = 'open311';

const AGENCIES: Record<string, Text> = {
  dispatch: { zh: '社区服务派单中心', en: 'community service dispatch' },
  'elder-care': { zh: '养老服务', en: 'elder care services' },
  mediation: { zh: '人民调解委员会', en: 'people’s mediation committee' },
  emergency: { zh: '应急管理', en: 'emergency management' },
};

/** What residents are told to expect, by the 12345 rules' response classes. */
const NOTICES: Record<string, Text> = {
  danger: {
    zh: '危及生命财产安全，2 小时内处置反馈',
    en: 'Danger to life or property: handled within 2 hours',
  },
  utilities: {
    zh: '水电气暖问题，24 小时内处置反馈',
    en: 'Water, power, gas or heating: handled within 24 hours',
  },
  general: { zh: '一般诉求，7 天内办结反馈', en: 'General request: handled within 7 days' },
  complex: { zh: '复杂诉求，15 天内办结反馈', en: 'Complex request: handled within 15 days' },
};

export function toServiceRequest(
  ticket: TicketFacts,
  locale: Open311Locale,
  extras: SubmissionExtras = {},
): Open311Object {
  const published = ticket.channel === OPEN311_CHANNEL;
  const location = published ? ticket.place.location : undefined;
  return {
    service_request_id: ticket.ticketId,
    status: open311StatusOf(ticket.status),
    status_notes: statusNotesOf(
      { status: ticket.status, reason: ticket.reason, routedTo: ticket.routedTo },
      locale,
    ),
    service_name: ticket.categoryName[locale],
    service_code: ticket.category,
    description: published ? (ticket.description ?? null) : null,
    agency_responsible: (ticket.routedTo && AGENCIES[ticket.routedTo]?.[locale]) || null,
    service_notice: (ticket.priority && NOTICES[ticket.priority.level]?.[locale]) || null,
    requested_datetime: w3cDateTime(ticket.createdAt),
    updated_datetime: w3cDateTime(ticket.updatedAt),
    expected_datetime: w3cDateTime(ticket.expectedAt),
    address: (published ? ticket.place.address : undefined) ?? ticket.place.communityName ?? null,
    // Our addressing system is the administrative tree: a request's address id is its community's code.
    address_id: ticket.place.communityCode,
    zipcode: null,
    lat: location?.lat ?? null,
    long: location?.lng ?? null,
    media_url: (published ? extras.mediaUrl : undefined) ?? null,
  };
}
