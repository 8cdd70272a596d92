// The communities' emergency contact lists: one document per community, replaced whole.
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import {
  COMMUNITY_CONTACTS_MODEL,
  type CommunityContact,
  type CommunityContactsDocument,
} from './community-contacts.schema';

@Injectable()
export class CommunityContactsRepository {
  constructor(
    @InjectModel(COMMUNITY_CONTACTS_MODEL) private readonly lists: Model<CommunityContactsDocument>,
  ) {}

  /** The community's list (empty when none was recorded): whom to call, full phones. */
  async contactsOf(community: string): Promise<CommunityContact[]> {
    const found = await this.findByCommunity(community);
    return found?.contacts ?? [];
  }

  async findByCommunity(community: string): Promise<CommunityContactsDocument | null> {
    return this.lists.findOne({ _id: community }).lean<CommunityContactsDocument>().exec();
  }

  /** Replaces the community's list. */
  async replace(
    community: string,
    contacts: CommunityContact[],
    updatedBy: string,
    at: Date,
  ): Promise<CommunityContactsDocument> {
    const after = await this.lists
      .findOneAndUpdate(
        { _id: community },
        { $set: { contacts, updatedBy, updatedAt: at } },
        { upsert: true, returnDocument: 'after', lean: true },
      )
      .exec();
    return after as CommunityContactsDocument;
  }
}
