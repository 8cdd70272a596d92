// What a category of the catalogue says: how a ticket of it is named, classed, routed, prioritised and timed.
import type { ServiceCategory, ServiceClass } from '@linli/contracts';
import type { TICKET_PRIORITIES, TICKET_ROUTES } from '@linli/contracts';

export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export type TicketRoute = (typeof TICKET_ROUTES)[number];

/** Text in both languages the platform speaks: operators read Chinese, the Open311 world reads English. */
export interface BilingualText {
  zh: string;
  en: string;
}

/** Targets of one priority: when someone must have taken the work on, and when the resident must have an answer. */
export interface ServiceLevelTarget {
  acceptWithinMs: number;
  resolveWithinMs: number;
}

export type ServiceLevelTable = Record<TicketPriority, ServiceLevelTarget>;

export interface CategoryDefinition {
  code: ServiceCategory;
  name: BilingualText;
  /** 为民 public · 便民 convenience · 安民 safety · general */
  serviceClass: ServiceClass;
  /**
   * Who takes a ticket of this category: `dispatch` turns it into a provider job; the specialised services take
   * it over (and report back, or an operator resolves it by hand).
   */
  routing: TicketRoute;
  /** Skill a provider needs for the job (matched by dispatch against providers' skills). */
  skill: string;
  defaultPriority: TicketPriority;
  serviceLevels: ServiceLevelTable;
  /** Wait after resolution before the call-back (回访) is due. */
  callbackDelayMs: number;
  /** Words a resident might use for it, per language: suggestions in the console and Open311's `keywords`. */
  keywords: { zh: readonly string[]; en: readonly string[] };
}
