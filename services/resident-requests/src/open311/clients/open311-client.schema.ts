// An Open311 client (an app, a city portal) and its API key. Only the key's SHA-256 is kept: a leaked database
// yields no usable key, and lookup by hash needs no comparison loop.
import { Schema } from 'mongoose';

export const OPEN311_CLIENT_MODEL = 'Open311Client';

export interface Open311ClientDocument {
  _id: string;
  /** Unique; tickets it creates carry the actor `open311:<name>`. */
  name: string;
  /** Hex SHA-256 of the API key. */
  keyHash: string;
  /** Administrative code prefix the client may report in (a province by default). */
  jurisdiction: string;
  active: boolean;
  createdAt: Date;
}

export const open311ClientSchema = new Schema<Open311ClientDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    keyHash: { type: String, required: true },
    jurisdiction: { type: String, required: true },
    active: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'open311_clients', versionKey: false },
);
open311ClientSchema.index({ name: 1 }, { unique: true });
open311ClientSchema.index({ keyHash: 1 }, { unique: true });
