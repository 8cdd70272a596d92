// A sign-in session: one per sign-in, the family of its refresh tokens (only their SHA-256 hashes: the current one
// and those already used, so a second use of one is recognised as theft), its end, and its revocation.
import { Schema } from 'mongoose';

export const REVOCATION_REASONS = ['sign-out', 'refresh-reuse', 'password-changed', 'user-changed'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export interface SessionDocument {
  /** The session id: the `sid` claim of its access tokens and the prefix of its refresh tokens. */
  _id: string;
  userId: string;
  refreshTokenHash: string;
  usedRefreshTokenHashes: string[];
  createdAt: Date;
  refreshedAt: Date;
  /** Created + REFRESH_TOKEN_TTL_SECONDS: no refresh after it, however active the session. */
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason?: RevocationReason;
}

/** Sessions stay a day past their end (their last access tokens outlive it by minutes), then MongoDB removes them. */
const KEEP_AFTER_EXPIRY_SECONDS = 24 * 60 * 60;

export const sessionSchema = new Schema<SessionDocument>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    refreshTokenHash: { type: String, required: true },
    usedRefreshTokenHashes: { type: [String], required: true },
    createdAt: { type: Date, required: true },
    refreshedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    revokedReason: { type: String, enum: REVOCATION_REASONS },
  },
  { collection: 'sessions', versionKey: false, minimize: false },
);
// A user's sessions, ended together (password changed, user disabled).
sessionSchema.index({ userId: 1, revokedAt: 1 });
// Revocations of the last minutes, written back to Redis when it has lost them.
sessionSchema.index({ revokedAt: 1 });
sessionSchema.index(
  { expiresAt: 1 },
  { expireAfterSeconds: KEEP_AFTER_EXPIRY_SECONDS, name: 'expiresAt_ttl' },
);
