// Every query and write of the directory; the caller's jurisdiction is applied here.
import type { Actor } from '@linli/auth';
import {
  crossJurisdiction,
  incrementCounter,
  isDuplicateKey,
  openPersonalData,
  sealPersonalData,
} from '@linli/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { CONTACT_MODEL, SUBSCRIPTION_SEQUENCE_MODEL } from '../models';
import { coveringFilter, overlappingAreasFilter } from './area.rules';
import type { ContactDocument, ContactKind } from './contact.schema';

@Injectable()
export class ContactsRepository {
  constructor(
    @InjectModel(CONTACT_MODEL) private readonly contacts: Model<ContactDocument>,
    @InjectModel(SUBSCRIPTION_SEQUENCE_MODEL)
    private readonly sequences: Model<{ _id: string; sequence: number }>,
  ) {}

  /**
   * A contact the actor may see (inside their jurisdiction), or null. Without an actor, wherever it is: the user's
   * own contact (by the relation, not the place), and the id's holder before a PUT, which answers 404 for another
   * district's itself (the data layer would hide it, and the write would then collide with it: ADR 0028).
   */
  async get(contactId: string, actor?: Actor): Promise<ContactDocument | null> {
    return this.contacts
      .findOne({ _id: contactId, ...(actor ? actor.scope() : {}) })
      .setOptions(
        actor ? {} : crossJurisdiction("the caller's own contact, or the id's holder before a write"),
      )
      .lean<ContactDocument>()
      .exec();
  }

  /** Inserts a new contact; false when one with that id appeared meanwhile. */
  async insert(contact: ContactDocument): Promise<boolean> {
    try {
      // The driver bypasses mongoose's middleware: the phone is sealed here (ADR 0026).
      await this.contacts.collection.insertOne(sealPersonalData(this.contacts, contact) as never);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Replaces the contact at the version read; false when someone changed it first. */
  async replace(contact: ContactDocument, expectedVersion: number): Promise<boolean> {
    const result = await this.contacts.collection.replaceOne(
      { _id: contact._id, version: expectedVersion } as never,
      sealPersonalData(this.contacts, contact) as never,
    );
    return result.matchedCount === 1;
  }

  async deactivate(contactId: string, actor: Actor, kind?: ContactKind): Promise<boolean> {
    const result = await this.contacts.collection.updateOne(
      { _id: contactId, ...actor.scope(), ...(kind ? { kind } : {}) } as never,
      { $set: { active: false, updatedAt: new Date() }, $inc: { version: 1 } },
    );
    return result.matchedCount === 1;
  }

  async list(
    actor: Actor,
    filter: { kind?: ContactKind; area?: string },
    page: number,
    pageSize: number,
  ): Promise<ContactDocument[]> {
    return this.contacts
      .find({
        ...actor.scope(),
        ...(filter.kind ? { kind: filter.kind } : {}),
        ...(filter.area ? overlappingAreasFilter([filter.area]) : {}),
      })
      .sort({ _id: 1 })
      .skip((page - 1) * pageSize)
      .limit(pageSize)
      .lean<ContactDocument[]>()
      .exec();
  }

  /** A resident's subscription to a community by their phone's keyed hash. */
  async subscriptionOf(phoneHash: string, community: string): Promise<ContactDocument | null> {
    return this.contacts
      .findOne({ kind: 'resident', phoneHash, areas: community })
      .lean<ContactDocument>()
      .exec();
  }

  async nextSubscriptionNumber(day: string): Promise<number> {
    return incrementCounter(this.sequences as never, day, 'sequence');
  }

  /** Contacts by id (the active ones only unless told). */
  async byIds(ids: readonly string[], activeOnly = true): Promise<ContactDocument[]> {
    if (ids.length === 0) return [];
    return this.contacts
      .find({ _id: { $in: [...ids] }, ...(activeOnly ? { active: true } : {}) })
      .lean<ContactDocument[]>()
      .exec();
  }

  /** Active contacts of a kind whose areas cover one of `codes`. */
  async covering(kind: ContactKind, codes: readonly string[]): Promise<ContactDocument[]> {
    return this.contacts
      .find({ kind, active: true, ...coveringFilter(codes) })
      .sort({ _id: 1 })
      .lean<ContactDocument[]>()
      .exec();
  }

  /**
   * The broadcast pass: active contacts of the kinds whose areas overlap `areas`, sorted by id (after `afterId`
   * when resuming), streamed in batches from a cursor (so 100,000 contacts are never in memory at once).
   */
  async *overlapping(
    kinds: readonly ContactKind[],
    areas: readonly string[],
    batchSize: number,
    afterId?: string,
  ): AsyncGenerator<ContactDocument[]> {
    const cursor = this.contacts.collection.find(
      {
        kind: { $in: [...kinds] },
        active: true,
        ...overlappingAreasFilter(areas),
        ...(afterId !== undefined ? { _id: { $gt: afterId } } : {}),
      } as never,
      { sort: { _id: 1 }, batchSize },
    );
    let batch: ContactDocument[] = [];
    try {
      for await (const contact of cursor) {
        batch.push(openPersonalData(this.contacts, contact) as unknown as ContactDocument);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    } finally {
      await cursor.close();
    }
  }
}
