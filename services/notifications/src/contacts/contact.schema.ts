// A contact of the directory: who can be told what (kind), where (areas), in which language and on which channels
// (ordered: the first for broadcasts, the second for a re-send). Providers' contact id is their provider id, staff
// users' their user id, a resident's subscription `S<yyyymmdd>-<6 digits>`. The phone is personal data: stored,
// shown masked, found by its keyed hash.
import { CONTACT_KINDS, DELIVERY_CHANNELS } from '@linli/contracts';
import { Schema } from 'mongoose';

export type ContactKind = (typeof CONTACT_KINDS)[number];
export type ContactChannel = (typeof DELIVERY_CHANNELS)[number];
export const CONTACT_LANGUAGES = ['zh-CN', 'en'] as const;
export type ContactLanguage = (typeof CONTACT_LANGUAGES)[number];

export interface ContactDocument {
  _id: string;
  kind: ContactKind;
  /** Administrative codes the contact answers for or lives in. */
  areas: string[];
  /** Every prefix (2/4/6/9/12 digits) of every area: "a contact inside the alert's area" is one `$in` query. */
  areaPrefixes: string[];
  language: ContactLanguage;
  /** Ordered, distinct: the first is used for broadcasts and messages, the second for a re-send. */
  channels: ContactChannel[];
  phone?: string;
  phoneHash?: string;
  phoneMasked?: string;
  webhookId?: string;
  active: boolean;
  /** The longest code every area lies in (scope of who may read and change it). */
  jurisdiction: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export const contactSchema = new Schema<ContactDocument>(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: CONTACT_KINDS, required: true },
    areas: { type: [String], required: true },
    areaPrefixes: { type: [String], required: true },
    language: { type: String, enum: CONTACT_LANGUAGES, required: true },
    channels: { type: [{ type: String, enum: DELIVERY_CHANNELS }], required: true },
    phone: { type: String, personal: true },
    phoneHash: String,
    phoneMasked: String,
    webhookId: String,
    active: { type: Boolean, required: true },
    jurisdiction: { type: String, required: true },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
// A broadcast's pass: active contacts of a kind inside an area, in _id order. Directory lists by kind and area.
contactSchema.index({ kind: 1, areaPrefixes: 1, active: 1, _id: 1 });
contactSchema.index({ jurisdiction: 1, kind: 1, _id: 1 });
// One subscription per phone and community.
contactSchema.index({ phoneHash: 1, areas: 1 });
