// Reads and writes of what Open311 submissions carry beyond their tickets.
import { isDuplicateKey } from '@linli/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { OPEN311_SUBMISSION_MODEL, type Open311SubmissionDocument } from './open311-submission.schema';

@Injectable()
export class Open311SubmissionsRepository {
  constructor(
    @InjectModel(OPEN311_SUBMISSION_MODEL) private readonly submissions: Model<Open311SubmissionDocument>,
  ) {}

  /** Once per ticket: a retried request (same Idempotency-Key) finds its submission stored and keeps it. */
  async insert(submission: Open311SubmissionDocument): Promise<void> {
    try {
      await this.submissions.collection.insertOne(submission as never);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  /** By ticket id, for the tickets given. */
  async byTicketIds(ticketIds: readonly string[]): Promise<Map<string, Open311SubmissionDocument>> {
    if (ticketIds.length === 0) return new Map();
    const found = await this.submissions
      .find({ _id: { $in: [...ticketIds] } } as never)
      .lean<Open311SubmissionDocument[]>()
      .exec();
    return new Map(found.map((submission) => [submission._id, submission]));
  }
}
