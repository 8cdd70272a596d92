// A mediator as mediation keeps them: the provider id in dispatch (the _id) and the conflicts of interest they
// declared. Names, phones and identity numbers are personal data (marked; issue 7 encrypts them); the keyed hashes
// are what the matching reads.
import { overlappingScope, relationScope, scopeActorsBy } from '@linli/persistence';
import { Schema } from 'mongoose';

export const MEDIATOR_MODEL = 'Mediator';

export interface ConflictDeclaration {
  conflictId: string; // K1, K2… per mediator
  name: string;
  phone?: string;
  identityNumber?: string;
  phoneHash?: string;
  identityHash?: string;
  note?: string;
  declaredAt: Date;
}

export interface MediatorDocument {
  _id: string;
  /** The jurisdiction of the user who declared (the mediator's own), for supervisors' scoped reads. */
  jurisdiction?: string;
  conflicts: ConflictDeclaration[];
  /** The counter behind conflict ids. */
  conflictSequence: number;
  updatedAt?: Date;
}

const conflictSchema = new Schema<ConflictDeclaration>(
  {
    conflictId: { type: String, required: true },
    name: { type: String, required: true, personal: true },
    phone: { type: String, personal: true },
    identityNumber: { type: String, personal: true },
    phoneHash: String,
    identityHash: String,
    note: { type: String, personal: true },
    declaredAt: { type: Date, required: true },
  },
  { _id: false },
);

export const mediatorSchema = new Schema<MediatorDocument>(
  {
    _id: { type: String, required: true },
    jurisdiction: String,
    conflicts: { type: [conflictSchema], default: [] },
    conflictSequence: { type: Number, default: 0 },
    updatedAt: Date,
  },
  { collection: 'mediators', versionKey: false },
);
// The data layer's scope (ADR 0028): a mediator reaches their own document (their providerId), wherever they
// declared; others the mediators whose area overlaps theirs, as `of` reads them. The cases' conflict checks read
// every mediator's declarations, declared cross-jurisdiction in the repository.
scopeActorsBy(mediatorSchema, (actor) =>
  actor.has('mediator') && actor.providerId
    ? relationScope('_id', actor.providerId)
    : overlappingScope(actor, 'jurisdiction'),
);
