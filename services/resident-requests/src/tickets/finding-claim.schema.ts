// Which ticket a visit finding (走访发现) opened: one document per finding id, written BEFORE the ticket and
// holding the ticket id chosen for it. A finding delivered twice, or again after a crash between the claim and the
// ticket, finds its claim and inserts (or finds) the same ticket: exactly one ticket per finding.
import { Schema } from 'mongoose';

export const FINDING_CLAIM_MODEL = 'VisitFindingClaim';

export interface FindingClaimDocument {
  /** The finding id (<visitId>-F<n>). */
  _id: string;
  ticketId: string;
  visitId: string;
  createdAt: Date;
}

export const findingClaimSchema = new Schema<FindingClaimDocument>(
  {
    _id: { type: String, required: true },
    ticketId: { type: String, required: true },
    visitId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'visit_finding_claims', versionKey: false },
);
