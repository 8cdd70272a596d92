// The report of a CSV import, kept for GET /elder-imports/:id. No personal data: row numbers, fields, reasons
// and elder ids only.
import { Schema } from 'mongoose';

export const ELDER_IMPORT_MODEL = 'ElderImport';

export interface ImportRejectionRecord {
  /** 1-based data row number (the header excluded). */
  row: number;
  field: string;
  reason: string;
}

export interface ElderImportDocument {
  _id: string;
  /** The importer's jurisdiction: staff whose jurisdiction covers it may read the report. */
  jurisdiction: string;
  rows: number;
  imported: number;
  rejected: ImportRejectionRecord[];
  elderIds: string[];
  createdBy: string;
  createdAt: Date;
}

export const elderImportSchema = new Schema<ElderImportDocument>(
  {
    _id: { type: String, required: true },
    jurisdiction: { type: String, default: '' },
    rows: { type: Number, required: true },
    imported: { type: Number, required: true },
    rejected: {
      type: [new Schema({ row: Number, field: String, reason: String }, { _id: false })],
      default: [],
    },
    elderIds: { type: [String], default: [] },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'elder_imports', versionKey: false },
);
