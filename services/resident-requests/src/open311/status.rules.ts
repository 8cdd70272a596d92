// GeoReport v2 knows two statuses: `open` ("it has been reported") and `closed` ("it has been resolved"). A ticket's
// richer state travels in `status_notes`. Resolved counts as closed: the work is done by the specification's
// definition, even though our call-back (回访) may still follow and, if the resident is unhappy, reopen it.
import { TICKET_STATUSES, type TicketStatus } from '../tickets/ticket.rules';

export { TICKET_STATUSES, type TicketStatus };

export const OPEN311_STATUSES = ['open', 'closed'] as const;
export type Open311Status = (typeof OPEN311_STATUSES)[number];

export type Open311Locale = 'zh' | 'en';

const CLOSED: ReadonlySet<TicketStatus> = new Set(['resolved', 'closed', 'cancelled']);

export function open311StatusOf(status: TicketStatus): Open311Status {
  return CLOSED.has(status) ? 'closed' : 'open';
}

/** The ticket statuses an Open311 status filter stands for. */
export function ticketStatusesOf(status: Open311Status): TicketStatus[] {
  return TICKET_STATUSES.filter((ticketStatus) => open311StatusOf(ticketStatus) === status);
}

type Text = Record<Open311Locale, string>;

const STATUS_NOTES: Record<TicketStatus, Text> = {
  new: { zh: '已受理', en: 'received' },
  triaged: { zh: '已分类定级', en: 'triaged' },
  routed: { zh: '已转交专业部门处理', en: 'handed to the specialised service' },
  dispatched: { zh: '已派单，等待服务人员接单', en: 'dispatched; waiting for a provider to accept' },
  assigned: { zh: '服务人员已接单', en: 'a provider has accepted the work' },
  'in-progress': { zh: '服务人员正在处理', en: 'a provider is on it' },
  resolved: { zh: '已办理完毕，待回访', en: 'resolved; the call-back to the resident is pending' },
  closed: { zh: '已办结', en: 'closed' },
  cancelled: { zh: '已撤销', en: 'cancelled' },
};

const ROUTE_NAMES: Record<string, Text> = {
  'elder-care': { zh: '养老服务', en: 'elder care' },
  mediation: { zh: '人民调解', en: 'mediation' },
  emergency: { zh: '应急管理', en: 'emergency response' },
};

const REASONS: Record<string, Text> = {
  // closed
  'feedback-recorded': { zh: '已回访，居民评价已记录', en: 'the resident’s feedback was recorded' },
  'callback-unanswered': { zh: '三次回访未接通', en: 'the call-back went unanswered three times' },
  // cancelled
  withdrawn: { zh: '居民撤回', en: 'withdrawn by the resident' },
  duplicate: { zh: '重复诉求', en: 'duplicate request' },
  invalid: { zh: '无效诉求', en: 'not a valid request' },
  other: { zh: '其他原因', en: 'other reason' },
};

export interface StatusFacts {
  status: TicketStatus;
  /** Why a ticket was closed or cancelled, when known. */
  reason?: string;
  /** Which specialised service a routed ticket went to. */
  routedTo?: string;
}

/** "Explanation of why status was changed to current state", in the caller's language; never personal data. */
export function statusNotesOf(facts: StatusFacts, locale: Open311Locale): string {
  const base = STATUS_NOTES[facts.status][locale];
  const detail =
    facts.status === 'routed'
      ? facts.routedTo && ROUTE_NAMES[facts.routedTo]?.[locale]
      : facts.reason && REASONS[facts.reason]?.[locale];
  if (!detail) return base;
  return locale === 'zh' ? `${base}（${detail}）` : `${base} (${detail})`;
}
