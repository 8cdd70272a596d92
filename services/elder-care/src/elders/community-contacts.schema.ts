// The community's emergency contact list (社区应急联络名单): whom a supervisor calls when visits to an elder living
// alone are missed in a row. One document per community, `_id` = the 12-digit community code.
import { Schema } from 'mongoose';

export const COMMUNITY_CONTACTS_MODEL = 'CommunityContacts';

export interface CommunityContact {
  name: string;
  role: string;
  phone: string;
}

export interface CommunityContactsDocument {
  /** The 12-digit community code. */
  _id: string;
  contacts: CommunityContact[];
  updatedBy: string;
  updatedAt: Date;
}

const contactSchema = new Schema<CommunityContact>(
  {
    name: { type: String, required: true, personal: true },
    role: { type: String, required: true },
    phone: { type: String, required: true, personal: true },
  },
  { _id: false },
);

export const communityContactsSchema = new Schema<CommunityContactsDocument>(
  {
    _id: { type: String, required: true },
    contacts: { type: [contactSchema], default: [] },
    updatedBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'community_contacts', versionKey: false },
);
