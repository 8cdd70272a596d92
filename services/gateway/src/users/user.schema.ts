// A user of the platform: the username is the id (immutable, in every token as `sub`), the roles and the
// jurisdiction (an administrative code prefix) decide what they may do and see; the password only as a scrypt hash.
import { ROLES } from '@linli/contracts';
import type { Role } from '@linli/auth';
import { Schema } from 'mongoose';

export const USER_STATUSES = ['active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** The roles a user can hold: every role but `system` (the platform itself, never a person). */
export const USER_ROLES = ROLES.filter((role) => role !== 'system') as Exclude<Role, 'system'>[];

export interface UserDocument {
  /** The username: lowercase, immutable. */
  _id: string;
  displayName: string;
  /** `$scrypt$ln=…,r=…,p=…$<salt>$<key>` (password.ts); never leaves the service. */
  passwordHash: string;
  roles: Role[];
  jurisdiction: string;
  /** For provider users: the provider (in dispatch) they act for. */
  providerId?: string;
  status: UserStatus;
  /** Failed sign-ins in a row since the last success or the last lock (the lockout rules in user.rules.ts). */
  failedAttempts: number;
  lockedUntil?: Date | null;
  /** Bumped by every change an admin or the user makes (not by sign-ins): the `version` PATCH expects. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export const userSchema = new Schema<UserDocument>(
  {
    _id: { type: String, required: true },
    displayName: { type: String, required: true },
    passwordHash: { type: String, required: true },
    roles: { type: [{ type: String, enum: USER_ROLES }], required: true },
    jurisdiction: { type: String, required: true },
    providerId: String,
    status: { type: String, enum: USER_STATUSES, required: true },
    failedAttempts: { type: Number, required: true },
    lockedUntil: { type: Date, default: null },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'users', versionKey: false, minimize: false },
);
// Admins list the users of their jurisdiction, by role and status.
userSchema.index({ jurisdiction: 1, _id: 1 });
