// Who is calling: the verified claims of a token, and the two questions every use case asks of them (does the
// caller have this role; does their jurisdiction cover this place).
import { ROLES } from '@linli/contracts';

export type Role = (typeof ROLES)[number];

/** The claims Linli's tokens carry beyond the registered ones (sub, iss, exp). */
export interface LinliClaims {
  sub: string;
  roles: Role[];
  /** Administrative code prefix the user answers for: 32 the province … 12 digits one community. */
  jurisdiction: string;
  /** For provider users: the provider (in dispatch) they act for. */
  providerId?: string;
  name?: string;
  /** The gateway's sign-in session the token was issued in (the gateway refuses tokens of a revoked one). */
  sid?: string;
  /** The token's own id. */
  jti?: string;
}

export class Actor {
  constructor(
    readonly userId: string,
    readonly roles: readonly Role[],
    readonly jurisdiction: string,
    readonly providerId?: string,
  ) {}

  static fromClaims(claims: LinliClaims): Actor {
    return new Actor(claims.sub, claims.roles, claims.jurisdiction, claims.providerId);
  }

  /** The platform acting on its own (a deadline, a consumer): every jurisdiction, no user. */
  static system(): Actor {
    return new Actor('system', ['system'], '');
  }

  has(...roles: Role[]): boolean {
    return roles.some((role) => this.roles.includes(role));
  }

  /** The code (of a community, street…) lies within this actor's subtree. */
  covers(code: string): boolean {
    return code.startsWith(this.jurisdiction);
  }

  /**
   * A MongoDB condition restricting `field` to this actor's subtree, for repositories to put in every query so no
   * endpoint can forget it. The jurisdiction is digits only (checked when the token is verified).
   */
  scope(field = 'jurisdiction'): Record<string, unknown> {
    return this.jurisdiction === '' ? {} : { [field]: { $regex: `^${this.jurisdiction}` } };
  }
}
