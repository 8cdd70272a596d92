// The counter elder ids are drawn from (E0000042): one document, `$inc`ed atomically; an import reserves a block.
import { Schema } from 'mongoose';

export const ELDER_SEQUENCE_MODEL = 'ElderSequence';
export const ELDER_SEQUENCE_ID = 'elders';

export interface ElderSequenceDocument {
  _id: string;
  seq: number;
}

export const elderSequenceSchema = new Schema<ElderSequenceDocument>(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true, default: 0 },
  },
  { collection: 'sequences', versionKey: false },
);
