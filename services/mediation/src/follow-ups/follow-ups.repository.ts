// The reads of follow-up visits across cases (the worklist of those due), in the actor's scope. Writes of a case go
// through CaseWriter only.
import type { Actor } from '@linli/auth';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { CaseState } from '../cases/case.rules';
import { CASE_MODEL, toCaseState, type CaseDocument } from '../cases/case.schema';

@Injectable()
export class FollowUpsRepository {
  constructor(@InjectModel(CASE_MODEL) private readonly cases: Model<CaseDocument>) {}

  /**
   * Agreed cases in the actor's jurisdiction (held by `mediatorId` when given) with a follow-up not recorded whose
   * time has come: due, or scheduled and past its time. Just the fields the worklist needs.
   */
  async agreedWithFollowUpsDue(actor: Actor, now: Date, mediatorId?: string): Promise<CaseState[]> {
    const documents = await this.cases
      .find(
        {
          ...actor.scope('jurisdiction'),
          status: 'agreed',
          ...(mediatorId ? { 'mediator.mediatorId': mediatorId } : {}),
          followUps: { $elemMatch: { status: { $in: ['scheduled', 'due'] }, dueAt: { $lte: now } } },
        },
        { status: 1, communityCode: 1, mediator: 1, followUps: 1, timeLimitAt: 1, openedAt: 1 },
      )
      .lean<CaseDocument[]>()
      .exec();
    return documents.map((document) =>
      toCaseState({
        ...document,
        parties: [],
        sessions: [],
        escalations: [],
        released: [],
        timeline: [],
      } as CaseDocument),
    );
  }
}
