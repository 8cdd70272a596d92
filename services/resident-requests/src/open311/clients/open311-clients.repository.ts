// Every query and write of Open311 clients. Clients are platform-wide (an admin's concern), not jurisdiction data.
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { OPEN311_CLIENT_MODEL, type Open311ClientDocument } from './open311-client.schema';

const DUPLICATE_KEY = 11000;

@Injectable()
export class Open311ClientsRepository {
  constructor(@InjectModel(OPEN311_CLIENT_MODEL) private readonly clients: Model<Open311ClientDocument>) {}

  /** False when the name or the key is taken. */
  async insert(client: Open311ClientDocument): Promise<boolean> {
    try {
      await this.clients.collection.insertOne(client as never);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  findActiveByKeyHash(keyHash: string): Promise<Open311ClientDocument | null> {
    return this.clients.findOne({ keyHash, active: true }).lean<Open311ClientDocument>().exec();
  }

  findByName(name: string): Promise<Open311ClientDocument | null> {
    return this.clients.findOne({ name }).lean<Open311ClientDocument>().exec();
  }

  /** Makes the named client active with this key (its jurisdiction stays as it was). */
  async setKey(name: string, keyHash: string): Promise<void> {
    await this.clients.updateOne({ name }, { $set: { keyHash, active: true } }).exec();
  }
}
