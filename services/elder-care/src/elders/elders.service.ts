// The use cases of the registry: register, read, change the profile, deactivate and reactivate, and the
// communities' emergency contact lists. Each change and its elder.* event are one conditional write; a write that
// lost a race to another change is decided again from the fresh elder (or 409 when the client named a version).
import type { Actor } from '@linli/auth';
import {
  chinaDate,
  ConflictError,
  type FieldError,
  identityHash,
  InjectConfig,
  normaliseIdentityNumber,
  normalisePhone,
  NotFoundError,
  phoneHash,
  ValidationError,
} from '@linli/platform';
import { administrativeTree } from '@linli/divisions';
import { Injectable } from '@nestjs/common';
import type { ElderCareConfig } from '../config';
import { CommunityContactsRepository } from './community-contacts.repository';
import type { CommunityContact } from './community-contacts.schema';
import type {
  CommunityContactsView,
  ListEldersQuery,
  RegisterElderDto,
  UpdateElderDto,
} from './dto/elder.dto';
import { registeredEvent, updatedEvent } from './elder.events';
import { registrationProblems } from './elder.rules';
import type { ElderDocument } from './elder.schema';
import { ElderAlreadyRegisteredError, EldersRepository, type NewElder } from './elders.repository';

const DEFAULT_PAGE_SIZE = 20;

/** 409 for a second registration of the same person: which field, and the elder already registered. */
export class IdentityAlreadyRegisteredError extends ConflictError {
  override readonly slug: string = 'elder-already-registered';
  override readonly title: string = 'Elder already registered';

  constructor(readonly elderId: string | undefined) {
    super('an elder with this identity number is registered already');
  }

  override extensions(): Record<string, unknown> {
    return { field: 'identityNumber', ...(this.elderId ? { elderId: this.elderId } : {}) };
  }
}

@Injectable()
export class EldersService {
  constructor(
    private readonly elders: EldersRepository,
    private readonly communityContacts: CommunityContactsRepository,
    @InjectConfig() private readonly config: ElderCareConfig,
  ) {}

  /**
   * What the shape checks do not see, for a form or a CSV row alike (empty: the registration may proceed). A
   * field the shape checks refused is passed as undefined.
   */
  problemsOf(
    body: { identityNumber?: string; birthDate?: string; gender?: string; community?: string },
    actor: Actor,
    now: Date,
  ): FieldError[] {
    return registrationProblems(body, {
      today: chinaDate(now),
      minAge: this.config.ELDER_MIN_AGE,
      covers: (code) => actor.covers(code),
    });
  }

  /** The complete document of a new elder, as a form or an import stores it. */
  newElder(
    elderId: string,
    body: RegisterElderDto,
    actor: Actor,
    now: Date,
    source: 'form' | 'import',
    importId: string | null = null,
  ): NewElder {
    const identityNumber = normaliseIdentityNumber(body.identityNumber);
    return {
      _id: elderId,
      name: body.name.trim(),
      gender: body.gender,
      birthDate: body.birthDate,
      identityNumber,
      identityHash: identityHash(identityNumber, this.config.PERSONAL_HASH_KEY),
      phone: normalisePhone(body.phone),
      phoneHash: phoneHash(body.phone, this.config.PERSONAL_HASH_KEY),
      community: body.community,
      address: body.address.trim(),
      home: body.home ? { lat: body.home.lat, lng: body.home.lng } : null,
      livingSituation: body.livingSituation,
      careLevel: body.careLevel,
      hardship: [...(body.hardship ?? [])],
      emergencyContacts: (body.emergencyContacts ?? []).map((contact) => ({
        name: contact.name.trim(),
        relation: contact.relation.trim(),
        phone: normalisePhone(contact.phone),
      })),
      consent: { services: body.consentToServices, recordedAt: now, recordedBy: actor.userId },
      status: 'active',
      inactiveReason: null,
      missedInARow: 0,
      countedMisses: [],
      lastCheckInAt: null,
      source,
      importId,
      createdBy: actor.userId,
      createdAt: now,
      updatedAt: now,
    };
  }

  identityHashOf(identityNumber: string): string {
    return identityHash(identityNumber, this.config.PERSONAL_HASH_KEY);
  }

  async register(body: RegisterElderDto, actor: Actor): Promise<ElderDocument> {
    const now = new Date();
    const problems = this.problemsOf(body, actor, now);
    if (problems.length > 0) throw new ValidationError(problems, 400);
    const hash = this.identityHashOf(body.identityNumber);
    const existing = await this.elders.findIdByIdentityHash(hash);
    if (existing) throw new IdentityAlreadyRegisteredError(existing);
    const [elderId] = await this.elders.reserveIds(1);
    const document = this.newElder(elderId, body, actor, now, 'form');
    try {
      await this.elders.insert(document, [registeredEvent(document, actor.userId)]);
    } catch (error) {
      if (error instanceof ElderAlreadyRegisteredError)
        throw new IdentityAlreadyRegisteredError(error.elderId);
      throw error;
    }
    return { ...document, version: 0, outbox: [] };
  }

  async get(elderId: string, actor: Actor): Promise<ElderDocument> {
    const elder = await this.elders.findScoped(elderId, actor);
    if (!elder) throw new NotFoundError('elder', elderId);
    return elder;
  }

  async list(
    query: ListEldersQuery,
    actor: Actor,
  ): Promise<{ items: ElderDocument[]; total: number; page: number; pageSize: number }> {
    const { page: requestedPage, pageSize: requestedSize, ...filter } = query;
    const page = requestedPage ?? 1;
    const pageSize = Math.min(requestedSize ?? DEFAULT_PAGE_SIZE, this.config.MAX_PAGE_SIZE);
    const { items, total } = await this.elders.list(filter, actor, { page, pageSize });
    return { items, total, page, pageSize };
  }

  async update(elderId: string, body: UpdateElderDto, actor: Actor): Promise<ElderDocument> {
    if (body.community !== undefined && !actor.covers(body.community)) {
      throw ValidationError.field('community', 'community is outside your jurisdiction', 400);
    }
    return this.change(elderId, actor, body.expectedVersion, (elder, now) => {
      const set: Record<string, unknown> = {};
      if (body.phone !== undefined) {
        set.phone = normalisePhone(body.phone);
        set.phoneHash = phoneHash(body.phone, this.config.PERSONAL_HASH_KEY);
      }
      if (body.community !== undefined) set.community = body.community;
      if (body.address !== undefined) set.address = body.address.trim();
      if (body.home !== undefined) set.home = body.home ? { lat: body.home.lat, lng: body.home.lng } : null;
      if (body.livingSituation !== undefined) set.livingSituation = body.livingSituation;
      if (body.careLevel !== undefined) set.careLevel = body.careLevel;
      if (body.hardship !== undefined) set.hardship = [...body.hardship];
      if (body.emergencyContacts !== undefined) {
        set.emergencyContacts = body.emergencyContacts.map((contact) => ({
          name: contact.name.trim(),
          relation: contact.relation.trim(),
          phone: normalisePhone(contact.phone),
        }));
      }
      if (body.consentToServices !== undefined && body.consentToServices !== elder.consent.services) {
        set.consent = { services: body.consentToServices, recordedAt: now, recordedBy: actor.userId };
      }
      return set;
    });
  }

  async deactivate(
    elderId: string,
    reason: NonNullable<ElderDocument['inactiveReason']>,
    actor: Actor,
  ): Promise<ElderDocument> {
    return this.change(elderId, actor, undefined, (elder) => {
      if (elder.status !== 'active') {
        throw new ConflictError(`elder ${elderId} is ${elder.status}`, {
          status: elder.status,
          version: elder.version,
        });
      }
      return { status: 'inactive', inactiveReason: reason };
    });
  }

  async reactivate(elderId: string, actor: Actor): Promise<ElderDocument> {
    return this.change(elderId, actor, undefined, (elder) => {
      if (elder.status !== 'inactive') {
        throw new ConflictError(`elder ${elderId} is ${elder.status}`, {
          status: elder.status,
          version: elder.version,
        });
      }
      return { status: 'active', inactiveReason: null };
    });
  }

  /**
   * Reads the elder (in the caller's scope), lets `decide` say what to $set, and writes it with elder.updated
   * if nobody changed the elder since; again from the fresh elder otherwise. Nothing to set: no write, no event.
   */
  private async change(
    elderId: string,
    actor: Actor,
    expectedVersion: number | undefined,
    decide: (elder: ElderDocument, now: Date) => Record<string, unknown>,
  ): Promise<ElderDocument> {
    for (let attempt = 1; ; attempt++) {
      const elder = await this.get(elderId, actor);
      if (expectedVersion !== undefined && elder.version !== expectedVersion) {
        throw new ConflictError(`elder ${elderId} is at version ${elder.version}`, {
          status: elder.status,
          version: elder.version,
        });
      }
      const now = new Date();
      const set = decide(elder, now);
      if (!changes(elder, set)) return elder;
      const next = { ...elder, ...set } as ElderDocument;
      const after = await this.elders.update(elder, { ...set, updatedAt: now }, [
        updatedEvent(next, elder.version + 1, actor.userId),
      ]);
      if (after) return after;
      if (expectedVersion !== undefined || attempt >= this.config.WRITE_ATTEMPTS) {
        const fresh = await this.get(elderId, actor);
        throw new ConflictError(`elder ${elderId} changed meanwhile`, {
          status: fresh.status,
          version: fresh.version,
        });
      }
    }
  }

  // ---- the community's emergency contact list ----

  async contactsOf(community: string, actor: Actor): Promise<CommunityContactsView> {
    this.requireCommunityInScope(community, actor);
    const found = await this.communityContacts.findByCommunity(community);
    return {
      community,
      contacts: (found?.contacts ?? []).map(contactView),
      updatedAt: found ? new Date(found.updatedAt).toISOString() : null,
    };
  }

  async replaceContacts(
    community: string,
    contacts: CommunityContact[],
    actor: Actor,
  ): Promise<CommunityContactsView> {
    this.requireCommunityInScope(community, actor);
    const saved = await this.communityContacts.replace(
      community,
      contacts.map((contact) => ({
        name: contact.name.trim(),
        role: contact.role.trim(),
        phone: normalisePhone(contact.phone),
      })),
      actor.userId,
      new Date(),
    );
    return {
      community,
      contacts: saved.contacts.map(contactView),
      updatedAt: new Date(saved.updatedAt).toISOString(),
    };
  }

  /** A community outside the caller's jurisdiction, or not a community, is not found (404, never 403). */
  private requireCommunityInScope(community: string, actor: Actor): void {
    if (!administrativeTree().isCommunity(community) || !actor.covers(community)) {
      throw new NotFoundError('community', community);
    }
  }
}

function contactView(contact: CommunityContact): CommunityContact {
  return { name: contact.name, role: contact.role, phone: contact.phone };
}

/** Whether $setting these values changes anything (compared as JSON: plain values and small objects). */
function changes(elder: ElderDocument, set: Record<string, unknown>): boolean {
  return Object.entries(set).some(
    ([path, value]) =>
      JSON.stringify((elder as unknown as Record<string, unknown>)[path] ?? null) !==
      JSON.stringify(value ?? null),
  );
}
