// Every query and write of providers; the caller's jurisdiction is applied here, so no endpoint can forget it.
import { Actor } from '@linli/auth';
import { crossJurisdiction } from '@linli/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { OfferOutcome } from '../jobs/matching.rules';
import { PROVIDER_MODEL, type ProviderDocument } from './provider.schema';

export interface ProviderFilter {
  skill?: string;
  area?: string;
  kind?: string;
  available?: boolean;
}

const DUPLICATE_KEY = 11000;

@Injectable()
export class ProvidersRepository {
  constructor(@InjectModel(PROVIDER_MODEL) private readonly providers: Model<ProviderDocument>) {}

  /** False when the id is taken. */
  async insert(provider: ProviderDocument): Promise<boolean> {
    try {
      await this.providers.collection.insertOne(provider as never);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  findOne(providerId: string, actor: Actor): Promise<ProviderDocument | null> {
    return this.providers
      .findOne({ _id: providerId, ...scopeOf(actor) } as never)
      .lean<ProviderDocument>()
      .exec();
  }

  async list(
    filter: ProviderFilter,
    actor: Actor,
    page: { page: number; pageSize: number },
  ): Promise<{ items: ProviderDocument[]; total: number }> {
    const query: Record<string, unknown> = { ...scopeOf(actor) };
    if (filter.skill) query.skills = filter.skill;
    if (filter.kind) query.kind = filter.kind;
    if (filter.available !== undefined) query.available = filter.available;
    // Providers serving the area: a service area containing it, or one inside it.
    if (filter.area) {
      query.$or = [
        { serviceAreas: { $in: prefixesOf(filter.area) } },
        { serviceAreas: { $regex: `^${filter.area}` } },
      ];
    }
    const [items, total] = await Promise.all([
      this.providers
        .find(query as never)
        .sort({ _id: 1 })
        .skip((page.page - 1) * page.pageSize)
        .limit(page.pageSize)
        .lean<ProviderDocument[]>()
        .exec(),
      this.providers.countDocuments(query as never).exec(),
    ]);
    return { items, total };
  }

  async update(
    providerId: string,
    actor: Actor,
    set: Partial<ProviderDocument>,
  ): Promise<ProviderDocument | null> {
    return this.providers
      .findOneAndUpdate({ _id: providerId, ...scopeOf(actor) } as never, { $set: set } as never, {
        returnDocument: 'after',
        lean: true,
      })
      .exec() as Promise<ProviderDocument | null>;
  }

  /**
   * Available providers with the skill whose service areas cover the place (a code prefix of it). Matching, its
   * capacity check, outcomes and loads concern providers of any home district serving the place, whoever's request
   * runs them (a provider's decline starts the next round): cross-jurisdiction by declaration (ADR 0028).
   */
  findMatching(skill: string, jurisdiction: string): Promise<ProviderDocument[]> {
    return this.providers
      .find({ skills: skill, available: true, serviceAreas: { $in: prefixesOf(jurisdiction) } } as never)
      .setOptions(MATCHING)
      .lean<ProviderDocument[]>()
      .exec();
  }

  findByIds(providerIds: readonly string[]): Promise<ProviderDocument[]> {
    return this.providers
      .find({ _id: { $in: [...providerIds] } } as never)
      .setOptions(MATCHING)
      .lean<ProviderDocument[]>()
      .exec();
  }

  /** Appends an offer's outcome, keeping the latest `window` (a set-free push: a lost one only blurs a rate). */
  async recordOutcome(providerId: string, outcome: OfferOutcome, window: number): Promise<void> {
    await this.providers
      .updateOne(
        { _id: providerId } as never,
        {
          $push: { recentOutcomes: { $each: [outcome], $slice: -window } },
        } as never,
      )
      .setOptions(MATCHING)
      .exec();
  }

  async setLoad(providerId: string, load: number): Promise<void> {
    await this.providers
      .updateOne({ _id: providerId } as never, { $set: { load } } as never)
      .setOptions(MATCHING)
      .exec();
  }

  allIds(): Promise<string[]> {
    return this.providers
      .find({}, { _id: 1 })
      .lean<{ _id: string }[]>()
      .exec()
      .then((rows) => rows.map((row) => row._id));
  }
}

/** See findMatching. */
const MATCHING = crossJurisdiction('matching, capacity, outcomes and loads of providers serving a place');

/** Providers are placed by their home area; a user sees those of its subtree. */
function scopeOf(actor: Actor): Record<string, unknown> {
  return actor.scope('jurisdiction');
}

/** Every prefix of a code (2 digits and longer): the service areas that would cover it. */
export function prefixesOf(code: string): string[] {
  const prefixes: string[] = [];
  for (let length = 2; length <= code.length; length++) prefixes.push(code.slice(0, length));
  return prefixes;
}
