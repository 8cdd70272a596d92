// What the default (`record`) SMS adapter keeps instead of sending: one document per delivery, for development,
// tests and demonstrations. The phone is personal data (shown masked); the text is what the gateway would get.
import { Schema } from 'mongoose';

export interface RecordedSmsDocument {
  /** The delivery id: a delivery sent twice is recorded once. */
  _id: string;
  contactId: string;
  to: string;
  toMasked: string;
  text: string;
  jurisdiction: string;
  recordedAt: Date;
}

export const recordedSmsSchema = new Schema<RecordedSmsDocument>(
  {
    _id: { type: String, required: true },
    contactId: { type: String, required: true },
    to: { type: String, required: true, personal: true },
    toMasked: { type: String, required: true },
    text: { type: String, required: true },
    jurisdiction: { type: String, required: true },
    recordedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
recordedSmsSchema.index({ contactId: 1, recordedAt: -1 });
