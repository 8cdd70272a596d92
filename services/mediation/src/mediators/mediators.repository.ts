// Every query and write of mediators' declared conflicts. The lookups by hash serve the cases (who must not be
// offered a case); the reads by mediator serve the mediator themself and their supervisors.
import { crossJurisdiction, incrementCounter } from '@linli/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { hashesOf, matchingConflicts, type PersonHashes } from './conflict.rules';
import { MEDIATOR_MODEL, type ConflictDeclaration, type MediatorDocument } from './mediator.schema';

@Injectable()
export class MediatorsRepository {
  constructor(@InjectModel(MEDIATOR_MODEL) private readonly mediators: Model<MediatorDocument>) {}

  /**
   * A mediator's document wherever they declared: their own list, the conflict check of an assignment (which must
   * see every declaration), and a supervisor's read, which the service checks by overlap (ADR 0028).
   */
  async find(mediatorId: string): Promise<MediatorDocument | undefined> {
    const document = await this.mediators
      .findOne({ _id: mediatorId })
      .setOptions(
        crossJurisdiction('conflict checks see every mediator; `of` checks a supervisor by overlap'),
      )
      .lean<MediatorDocument>()
      .exec();
    return document ?? undefined;
  }

  /** Adds a declaration with the mediator's next conflict id (the mediator's document created on the first). */
  async addConflict(
    mediatorId: string,
    jurisdiction: string,
    conflict: Omit<ConflictDeclaration, 'conflictId'>,
  ): Promise<ConflictDeclaration> {
    const sequence = await incrementCounter(this.mediators as never, mediatorId, 'conflictSequence');
    const declared: ConflictDeclaration = { conflictId: `K${sequence}`, ...conflict };
    await this.mediators
      .updateOne(
        { _id: mediatorId },
        { $push: { conflicts: declared }, $set: { jurisdiction, updatedAt: conflict.declaredAt } },
      )
      .exec();
    return declared;
  }

  /** False when the mediator has no such declaration. */
  async removeConflict(mediatorId: string, conflictId: string): Promise<boolean> {
    const result = await this.mediators
      .updateOne(
        { _id: mediatorId, 'conflicts.conflictId': conflictId },
        { $pull: { conflicts: { conflictId } }, $set: { updatedAt: new Date() } },
      )
      .exec();
    return result.modifiedCount > 0;
  }

  /**
   * The mediators who declared a conflict with at least one of these people (by phone or identity number),
   * sorted. The query narrows by hash; the rule decides (conflict.rules.ts).
   */
  async conflictedWith(parties: readonly PersonHashes[]): Promise<string[]> {
    const { phoneHashes, identityHashes } = hashesOf(parties);
    const or: Record<string, unknown>[] = [];
    if (phoneHashes.length > 0) or.push({ 'conflicts.phoneHash': { $in: phoneHashes } });
    if (identityHashes.length > 0) or.push({ 'conflicts.identityHash': { $in: identityHashes } });
    if (or.length === 0) return [];
    const documents = await this.mediators
      .find({ $or: or }, { conflicts: 1 })
      // Who must not be offered the case: any mediator, wherever they declared (ADR 0028).
      .setOptions(crossJurisdiction('a case excludes every conflicted mediator, of any district'))
      .lean<Pick<MediatorDocument, '_id' | 'conflicts'>[]>()
      .exec();
    return documents
      .filter((document) => matchingConflicts(document.conflicts, parties).length > 0)
      .map((document) => document._id)
      .sort();
  }
}
