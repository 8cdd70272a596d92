// The vulnerable residents per community (特殊困难群体), kept from elder-care's elder.registered / elder.updated: one
// document per elder, the latest version winning, with whether the welfare rule holds for them now. Elders who are
// not (or no longer) vulnerable stay as documents with `vulnerable: false`, so an older event replayed later cannot
// bring them back.
import { isDuplicateKey } from '@linli/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Schema } from 'mongoose';
import { VULNERABLE_RESIDENT_MODEL } from '../models';

export interface VulnerableResidentDocument {
  _id: string; // the elder id
  version: number;
  /** The community the elder lives in (12 digits). */
  community: string;
  vulnerable: boolean;
  updatedAt: Date;
}

export const vulnerableResidentSchema = new Schema<VulnerableResidentDocument>(
  {
    _id: { type: String, required: true },
    version: { type: Number, required: true },
    community: { type: String, required: true },
    vulnerable: { type: Boolean, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'vulnerable_residents', versionKey: false },
);
// The sweep: the vulnerable of the communities under an area's code (a prefix range on real MongoDB).
vulnerableResidentSchema.index({ vulnerable: 1, community: 1 });

export interface VulnerableResident {
  elderId: string;
  community: string;
}

@Injectable()
export class VulnerableResidentsProjection {
  constructor(
    @InjectModel(VULNERABLE_RESIDENT_MODEL) private readonly residents: Model<VulnerableResidentDocument>,
  ) {}

  /**
   * Keeps the elder's facts of `version` unless a newer version is stored already: one conditional upsert (an
   * existing newer document fails the filter, and the insert it falls back to collides on `_id`). True when stored.
   */
  async apply(elderId: string, version: number, community: string, vulnerable: boolean): Promise<boolean> {
    try {
      const result = await this.residents
        .updateOne(
          { _id: elderId, version: { $lt: version } },
          { $set: { version, community, vulnerable, updatedAt: new Date() } },
          { upsert: true },
        )
        .exec();
      return result.matchedCount + result.upsertedCount > 0;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async get(elderId: string): Promise<VulnerableResidentDocument | undefined> {
    return (
      (await this.residents.findOne({ _id: elderId }).lean<VulnerableResidentDocument>().exec()) ?? undefined
    );
  }

  /**
   * The vulnerable residents whose community lies under one of `areas`, in one pass over the projection (one
   * cursor, never pages by `_id`: mongo-java-server scans per query, ADR 0004), in batches of `batchSize`.
   */
  async *inAreas(areas: readonly string[], batchSize: number): AsyncGenerator<VulnerableResident[]> {
    if (areas.length === 0) return;
    const cursor = this.residents
      .find(
        {
          vulnerable: true,
          $or: areas.map((area) => ({ community: { $regex: `^${escapeRegex(area)}` } })),
        },
        { _id: 1, community: 1 },
      )
      .lean<VulnerableResidentDocument[]>()
      .cursor({ batchSize });
    let batch: VulnerableResident[] = [];
    for await (const document of cursor) {
      const resident = document as unknown as VulnerableResidentDocument;
      batch.push({ elderId: resident._id, community: resident.community });
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
