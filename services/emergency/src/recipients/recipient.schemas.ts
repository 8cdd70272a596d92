// What recipients/ stores: one record per alert message seen on the alert stream (its place, deadlines and how far
// its broadcast got), one row per recipient of an alert (reached, answered, chased), and one chase document per
// re-send batch and per escalation (each carrying its event). No personal data: recipients are contact ids.
import {
  ACKNOWLEDGEMENT_CHANNELS,
  ACKNOWLEDGEMENT_RESPONSES,
  ALERT_MESSAGE_TYPES,
  CONTACT_KINDS,
  DELIVERY_CHANNELS,
} from '@linli/contracts';
import { aggregatePlugin, overlappingScope, scopeActorsBy, type AggregateFields } from '@linli/persistence';
import { Schema } from 'mongoose';
import {
  RECIPIENT_STATUSES,
  type AcknowledgementResponse,
  type AlertMessageType,
  type RecipientStatus,
} from './recipient.rules';

/** `<alertId>:<sequence>`, also the broadcast id notifications uses for the message. */
export const messageIdOf = (alertId: string, sequence: number) => `${alertId}:${sequence}`;
/** `<alertId>:<recipientId>`: one row per recipient per alert, whatever message reached them. */
export const recipientRowIdOf = (alertId: string, recipientId: string) => `${alertId}:${recipientId}`;
export const resendChaseIdOf = (alertId: string, sequence: number, batch: number) =>
  `${alertId}:${sequence}:resend:${batch}`;
export const escalationChaseIdOf = (alertId: string, sequence: number) => `${alertId}:${sequence}:escalated`;

export interface AlertMessageDocument {
  _id: string;
  alertId: string;
  sequence: number;
  incidentId: string;
  jurisdiction: string;
  areas: string[];
  messageType: AlertMessageType;
  /** When the alert's first message was issued (alert.acknowledged's issuedAt). */
  issuedAt: Date;
  /** When this message was issued. */
  sentAt: Date;
  acknowledgeBy?: Date;
  expiresAt: Date;
  /** The alert's version with this message. */
  version: number;
  supersededBy?: number;
  cancelledAt?: Date;
  /** When its chase's re-send step finished: the second chance runs from then. */
  resendDoneAt?: Date;
  /** From notifications' broadcast.completed. */
  recipientCount?: number;
  completedAt?: Date;
}

export const alertMessageSchema = new Schema<AlertMessageDocument>(
  {
    _id: { type: String, required: true },
    alertId: { type: String, required: true },
    sequence: { type: Number, required: true },
    incidentId: String,
    jurisdiction: { type: String, required: true },
    areas: { type: [String], default: undefined },
    messageType: { type: String, enum: ALERT_MESSAGE_TYPES },
    issuedAt: Date,
    sentAt: Date,
    acknowledgeBy: Date,
    expiresAt: Date,
    version: Number,
    supersededBy: Number,
    cancelledAt: Date,
    resendDoneAt: Date,
    recipientCount: Number,
    completedAt: Date,
  },
  { collection: 'alert_messages', versionKey: false },
);
alertMessageSchema.index({ alertId: 1, sequence: 1 });
// An alert reaches the staff of every place inside its areas, and a district's alert concerns a community's worker:
// the data layer lets the subtree and the places above it through (ADR 0028), `staffReaches` decides the rest.
scopeActorsBy(alertMessageSchema, (actor) => overlappingScope(actor, 'jurisdiction'));

export interface AlertRecipientDocument extends AggregateFields {
  _id: string;
  alertId: string;
  recipientId: string;
  /** The alert's jurisdiction. */
  jurisdiction: string;
  /** Unknown until notifications' batch arrives when the answer came first (an early link, a phone call). */
  kind?: (typeof CONTACT_KINDS)[number];
  channel?: (typeof DELIVERY_CHANNELS)[number];
  secondChannel?: (typeof DELIVERY_CHANNELS)[number];
  /** The first message of the alert that reached them. */
  firstSequence?: number;
  status: RecipientStatus;
  response?: AcknowledgementResponse;
  acknowledgedVia?: (typeof ACKNOWLEDGEMENT_CHANNELS)[number];
  acknowledgedAt?: Date;
  /** The staff member who recorded a phone or in-person answer. */
  recordedBy?: string;
  resentAt?: Date;
  resentSequence?: number;
  silentAt?: Date;
  createdAt: Date;
}

export const alertRecipientSchema = new Schema<AlertRecipientDocument>(
  {
    _id: { type: String, required: true },
    alertId: { type: String, required: true },
    recipientId: { type: String, required: true },
    jurisdiction: { type: String, required: true },
    kind: { type: String, enum: CONTACT_KINDS },
    channel: { type: String, enum: DELIVERY_CHANNELS },
    secondChannel: { type: String, enum: DELIVERY_CHANNELS },
    firstSequence: Number,
    status: { type: String, enum: RECIPIENT_STATUSES, required: true },
    response: { type: String, enum: ACKNOWLEDGEMENT_RESPONSES },
    acknowledgedVia: { type: String, enum: ACKNOWLEDGEMENT_CHANNELS },
    acknowledgedAt: Date,
    recordedBy: String,
    resentAt: Date,
    resentSequence: Number,
    silentAt: Date,
    createdAt: { type: Date, required: true },
  },
  { collection: 'alert_recipients', versionKey: false },
);
alertRecipientSchema.plugin(aggregatePlugin);
// Rows carry their alert's jurisdiction: reached as the alert's messages are (above).
scopeActorsBy(alertRecipientSchema, (actor) => overlappingScope(actor, 'jurisdiction'));
// The list by status, the chase's pass over those not answered, the board's sums: all of one alert, in _id order.
alertRecipientSchema.index({ alertId: 1, status: 1, _id: 1 });

export interface AlertChaseDocument extends AggregateFields {
  _id: string;
  alertId: string;
  sequence: number;
  step: 'resend' | 'escalation';
  batch?: number;
  recipientIds?: string[];
  unacknowledgedCount?: number;
  needsHelpCount?: number;
  createdAt: Date;
}

export const alertChaseSchema = new Schema<AlertChaseDocument>(
  {
    _id: { type: String, required: true },
    alertId: { type: String, required: true },
    sequence: { type: Number, required: true },
    step: { type: String, enum: ['resend', 'escalation'], required: true },
    batch: Number,
    recipientIds: { type: [String], default: undefined },
    unacknowledgedCount: Number,
    needsHelpCount: Number,
    createdAt: { type: Date, required: true },
  },
  { collection: 'alert_chases', versionKey: false },
);
alertChaseSchema.plugin(aggregatePlugin);
