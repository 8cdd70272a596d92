// What an Open311 submission carries beyond the ticket: which client sent it and the GeoReport fields a ticket has
// no place for (media_url, the client's account_id). Keyed by ticket id. email and device_id are not kept.
import { Schema } from 'mongoose';

export const OPEN311_SUBMISSION_MODEL = 'Open311Submission';

export interface Open311SubmissionDocument {
  /** The ticket id. */
  _id: string;
  client: string;
  mediaUrl?: string;
  accountId?: string;
  createdAt: Date;
}

export const open311SubmissionSchema = new Schema<Open311SubmissionDocument>(
  {
    _id: { type: String, required: true },
    client: { type: String, required: true },
    mediaUrl: { type: String },
    accountId: { type: String },
    createdAt: { type: Date, required: true },
  },
  { collection: 'open311_submissions', versionKey: false },
);
