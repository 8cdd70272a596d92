// The rules of an alert's recipients, pure: what an answer makes of a recipient, who may answer for whom, which
// messages are still chased, how a chase is cut into batches, when the coordinators are told, and the board's sums.
import type { Actor } from '@linli/auth';
import type { ACKNOWLEDGEMENT_RESPONSES, ALERT_MESSAGE_TYPES } from '@linli/contracts';

/** pending: reached, no answer yet; acknowledged: answered received or safe; needs-help; silent: chased in vain. */
export const RECIPIENT_STATUSES = ['pending', 'acknowledged', 'needs-help', 'silent'] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];
export type AcknowledgementResponse = (typeof ACKNOWLEDGEMENT_RESPONSES)[number];
export type AlertMessageType = (typeof ALERT_MESSAGE_TYPES)[number];

/** Statuses a first answer flips (a silent recipient who answers late still counts). */
export const ANSWERABLE_STATUSES: readonly RecipientStatus[] = ['pending', 'silent'];
/**
 * Statuses a chase re-sends to: those who have not answered. A recipient found silent after an earlier message's
 * chase is chased again for a later Update, which may say something new (evacuate now).
 */
export const CHASED_STATUSES: readonly RecipientStatus[] = ['pending', 'silent'];
/** Roles that may record an answer for someone else (taken by phone or in person). */
export const ACKNOWLEDGING_STAFF_ROLES = ['coordinator', 'supervisor', 'admin', 'operator'] as const;
/** How staff may have taken someone else's answer. */
export const ON_BEHALF_CHANNELS = ['phone', 'in-person'] as const;

export function statusAfter(response: AcknowledgementResponse): RecipientStatus {
  return response === 'needs-help' ? 'needs-help' : 'acknowledged';
}

export function isAnswerable(status: RecipientStatus): boolean {
  return ANSWERABLE_STATUSES.includes(status);
}

/**
 * The recipient id of a signed-in user (notifications' contact id): a provider user answers for its provider,
 * anyone else for themself.
 */
export function recipientIdOf(actor: Actor): string {
  return actor.has('provider') && actor.providerId ? actor.providerId : actor.userId;
}

/** One code lies within the other (a community within a street, or a street within a community's district). */
export function codesOverlap(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

export interface AlertPlace {
  jurisdiction: string;
  areas: readonly string[];
}

/**
 * Staff whose jurisdiction covers the alert's, or one of its areas (a community's coordinator, for a street's
 * alert): they see its recipients and record answers for them. Everyone else is told it does not exist.
 */
export function staffReaches(jurisdiction: string, alert: AlertPlace): boolean {
  return (
    alert.jurisdiction.startsWith(jurisdiction) || alert.areas.some((area) => area.startsWith(jurisdiction))
  );
}

/**
 * A signed-in user answering an alert they have no recipient row for yet: one of its areas must lie within theirs,
 * or theirs within it (the alert's jurisdiction alone is not enough: a street's alert may name two communities).
 */
export function concernsUser(jurisdiction: string, alert: AlertPlace): boolean {
  return alert.areas.some((area) => codesOverlap(jurisdiction, area));
}

/** What the chase needs to know of a message of an alert. */
export interface ChasedMessage {
  sequence: number;
  messageType: AlertMessageType;
  acknowledgeBy?: Date;
  expiresAt: Date;
  /** A later message with its own deadline took over the chase. */
  supersededBy?: number;
  /** The alert was cancelled by a later message. */
  cancelledAt?: Date;
}

export type ChaseSkip = 'no-deadline' | 'superseded' | 'cancelled' | 'expired';

/** Why a message's deadline does nothing (undefined: it chases). */
export function chaseSkip(message: ChasedMessage, now: Date): ChaseSkip | undefined {
  if (!message.acknowledgeBy || message.messageType === 'cancel') return 'no-deadline';
  if (message.cancelledAt) return 'cancelled';
  if (message.supersededBy !== undefined) return 'superseded';
  if (new Date(message.expiresAt).getTime() <= now.getTime()) return 'expired';
  return undefined;
}

/**
 * What a later message of the same alert does to an earlier one's chase: a Cancel ends it, a message with its own
 * deadline takes it over (the chase re-sends the newest message, not an outdated one); else nothing.
 */
export function stopByLater(
  earlier: Pick<ChasedMessage, 'sequence'>,
  later: Pick<ChasedMessage, 'sequence' | 'messageType' | 'acknowledgeBy'>,
): 'cancelled' | 'superseded' | undefined {
  if (later.sequence <= earlier.sequence) return undefined;
  if (later.messageType === 'cancel') return 'cancelled';
  if (later.acknowledgeBy) return 'superseded';
  return undefined;
}

/**
 * Cuts the recipients to chase (in the order read) into batches of at most `size`, leaving out those an earlier
 * run of the same chase already named: a re-run after a crash emits only what is left.
 */
export async function* chaseBatches(
  recipientIds: AsyncIterable<string> | Iterable<string>,
  alreadyChased: ReadonlySet<string>,
  size: number,
): AsyncGenerator<string[]> {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`batch size must be a positive integer: ${size}`);
  let batch: string[] = [];
  for await (const recipientId of recipientIds) {
    if (alreadyChased.has(recipientId)) continue;
    batch.push(recipientId);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export interface Escalation {
  reason: 'unacknowledged' | 'needs-help';
  unacknowledgedCount: number;
  needsHelpCount: number;
}

/**
 * What the coordinators are told at the end of the second chance: those still silent (and those who asked for
 * help); nothing when everyone answered and nobody needs help.
 */
export function escalationOf(counts: { silent: number; needsHelp: number }): Escalation | undefined {
  if (counts.silent > 0)
    return { reason: 'unacknowledged', unacknowledgedCount: counts.silent, needsHelpCount: counts.needsHelp };
  if (counts.needsHelp > 0)
    return { reason: 'needs-help', unacknowledgedCount: 0, needsHelpCount: counts.needsHelp };
  return undefined;
}

/** Recipients of one alert counted by status and answer, and how many of them were re-sent the alert. */
export interface StatusCount {
  status: RecipientStatus;
  response?: AcknowledgementResponse;
  count: number;
  resent: number;
}

export interface MessageDelivery {
  sequence: number;
  recipientCount?: number;
  completedAt?: Date;
}

export interface Board {
  /** Everyone with a row: reached by a broadcast, or who answered. */
  recipients: number;
  /** Everyone who answered, whatever the answer (= received + safe + needsHelp). */
  acknowledged: number;
  received: number;
  safe: number;
  needsHelp: number;
  pending: number;
  silent: number;
  /** Re-sent the alert on their second channel (whatever they did after). */
  resent: number;
  bySequence: { sequence: number; recipientCount: number | null; completed: boolean }[];
}

export function boardOf(counts: readonly StatusCount[], messages: readonly MessageDelivery[]): Board {
  const board: Board = {
    recipients: 0,
    acknowledged: 0,
    received: 0,
    safe: 0,
    needsHelp: 0,
    pending: 0,
    silent: 0,
    resent: 0,
    bySequence: [...messages]
      .sort((a, b) => a.sequence - b.sequence)
      .map((message) => ({
        sequence: message.sequence,
        recipientCount: message.recipientCount ?? null,
        completed: message.completedAt !== undefined && message.completedAt !== null,
      })),
  };
  for (const { status, response, count, resent } of counts) {
    board.recipients += count;
    board.resent += resent;
    if (status === 'pending') board.pending += count;
    else if (status === 'silent') board.silent += count;
    else {
      board.acknowledged += count;
      if (status === 'needs-help' || response === 'needs-help') board.needsHelp += count;
      else if (response === 'safe') board.safe += count;
      else board.received += count;
    }
  }
  return board;
}
