// The use cases of mediators' conflicts of interest: declare, list, withdraw (the mediator), and read (supervisors).
// The cases read them through conflictedWith, at every request to dispatch, change of parties and assignment.
import type { Actor } from '@linli/auth';
import {
  ForbiddenError,
  identityHash,
  InjectConfig,
  maskIdentityNumber,
  maskPhone,
  normaliseIdentityNumber,
  normalisePhone,
  NotFoundError,
  phoneHash,
} from '@linli/platform';
import { Injectable } from '@nestjs/common';
import type { MediationConfig } from '../config';
import { samePerson, type PersonHashes } from './conflict.rules';
import type { ConflictList, ConflictView, DeclareConflictDto } from './dto/conflict.dto';
import type { ConflictDeclaration } from './mediator.schema';
import { MediatorsRepository } from './mediators.repository';

@Injectable()
export class MediatorsService {
  constructor(
    private readonly mediators: MediatorsRepository,
    @InjectConfig() private readonly config: MediationConfig,
  ) {}

  async declare(body: DeclareConflictDto, actor: Actor): Promise<ConflictView> {
    const mediatorId = this.mediatorIdOf(actor);
    const phone = body.phone !== undefined ? normalisePhone(body.phone) : undefined;
    const identityNumber =
      body.identityNumber !== undefined ? normaliseIdentityNumber(body.identityNumber) : undefined;
    const declared = await this.mediators.addConflict(mediatorId, actor.jurisdiction, {
      name: body.name.trim(),
      ...(phone ? { phone, phoneHash: phoneHash(phone, this.config.PERSONAL_HASH_KEY) } : {}),
      ...(identityNumber
        ? { identityNumber, identityHash: identityHash(identityNumber, this.config.PERSONAL_HASH_KEY) }
        : {}),
      ...(body.note !== undefined ? { note: body.note } : {}),
      declaredAt: new Date(),
    });
    return toConflictView(declared);
  }

  async mine(actor: Actor): Promise<ConflictList> {
    return this.listOf(this.mediatorIdOf(actor));
  }

  async withdraw(conflictId: string, actor: Actor): Promise<void> {
    const removed = await this.mediators.removeConflict(this.mediatorIdOf(actor), conflictId);
    if (!removed) throw new NotFoundError('conflict', conflictId);
  }

  /**
   * A mediator's declarations for a supervisor or admin, masked. Mediation knows a mediator only from what they
   * declared: a mediator who declared nothing lists empty; one whose area does not overlap the caller's is not the
   * caller's (404).
   */
  async of(mediatorId: string, actor: Actor): Promise<ConflictList> {
    const mediator = await this.mediators.find(mediatorId);
    if (mediator?.jurisdiction && !overlaps(actor, mediator.jurisdiction))
      throw new NotFoundError('mediator', mediatorId);
    return { mediatorId, items: (mediator?.conflicts ?? []).map(toConflictView) };
  }

  /** The mediators who declared a conflict with any of these people. */
  conflictedWith(parties: readonly PersonHashes[]): Promise<string[]> {
    return this.mediators.conflictedWith(parties);
  }

  /** Which of the parties a mediator declared a conflict with (their partyIds). */
  async partiesInConflict(
    mediatorId: string,
    parties: ReadonlyArray<PersonHashes & { partyId: string }>,
  ): Promise<string[]> {
    const declared = (await this.mediators.find(mediatorId))?.conflicts ?? [];
    return parties
      .filter((party) => declared.some((conflict) => samePerson(conflict, party)))
      .map((party) => party.partyId);
  }

  /** The hashes a party or a declared person is matched on. */
  hashes(person: { phone?: string; identityNumber?: string }): PersonHashes {
    return {
      ...(person.phone ? { phoneHash: phoneHash(person.phone, this.config.PERSONAL_HASH_KEY) } : {}),
      ...(person.identityNumber
        ? { identityHash: identityHash(person.identityNumber, this.config.PERSONAL_HASH_KEY) }
        : {}),
    };
  }

  private async listOf(mediatorId: string): Promise<ConflictList> {
    const mediator = await this.mediators.find(mediatorId);
    return { mediatorId, items: (mediator?.conflicts ?? []).map(toConflictView) };
  }

  private mediatorIdOf(actor: Actor): string {
    if (!actor.providerId) {
      throw new ForbiddenError(
        'a mediator user needs a providerId (their id in dispatch) to declare conflicts',
      );
    }
    return actor.providerId;
  }
}

/**
 * A supervisor reads the mediators whose area lies in theirs (Gulou's supervisor, a street's mediator) or contains
 * it (a street's supervisor, a district-wide mediator who may take that street's cases).
 */
function overlaps(actor: Actor, jurisdiction: string): boolean {
  return actor.covers(jurisdiction) || actor.jurisdiction.startsWith(jurisdiction);
}

export function toConflictView(conflict: ConflictDeclaration): ConflictView {
  return {
    conflictId: conflict.conflictId,
    name: conflict.name,
    ...(conflict.phone ? { phone: maskPhone(conflict.phone) } : {}),
    ...(conflict.identityNumber ? { identityNumber: maskIdentityNumber(conflict.identityNumber) } : {}),
    ...(conflict.note !== undefined && conflict.note !== null ? { note: conflict.note } : {}),
    declaredAt: new Date(conflict.declaredAt).toISOString(),
  };
}
