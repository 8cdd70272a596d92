// The directory's use cases: staff put contacts in their jurisdiction, users put their own, the hotline signs
// residents up for their community's alerts; lists, reads and deactivation, all scoped.
import { Actor, type Role } from '@linli/auth';
import {
  chinaDate,
  ConflictError,
  ForbiddenError,
  maskPhone,
  normalisePhone,
  NotFoundError,
  phoneHash,
  ValidationError,
  type FieldError,
} from '@linli/platform';
import { Injectable } from '@nestjs/common';
import { WebhooksRepository } from '../channels/webhooks/webhooks.repository';
import { config } from '../config';
import { areaPrefixesOf, jurisdictionOf } from './area.rules';
import type { ContactDocument, ContactKind } from './contact.schema';
import { ContactsRepository } from './contacts.repository';
import type { ContactFieldsDto, ListContactsQuery, PutContactDto, SubscribeDto } from './dto/contact.dto';
import { recipientIdOf } from './recipient';

/** The contact kind a user's own contact gets from their role (first match). */
const KIND_OF_ROLE: readonly [Role, ContactKind][] = [
  ['provider', 'provider'],
  ['coordinator', 'coordinator'],
  ['supervisor', 'supervisor'],
  ['operator', 'operator'],
  ['mediator', 'mediator'],
];

export interface PutResult {
  contact: ContactDocument;
  created: boolean;
}

@Injectable()
export class ContactsService {
  constructor(
    private readonly contacts: ContactsRepository,
    private readonly webhooks: WebhooksRepository,
  ) {}

  /** PUT /contacts/:id by staff: any kind, areas inside their jurisdiction. */
  async put(contactId: string, body: PutContactDto, actor: Actor): Promise<PutResult> {
    return this.write(contactId, body.kind, body, actor);
  }

  /** PUT /contacts/me: the user's own contact, its kind from their role. */
  async putMine(body: ContactFieldsDto, actor: Actor): Promise<PutResult> {
    const kind = KIND_OF_ROLE.find(([role]) => actor.has(role))?.[1];
    if (!kind) throw new ForbiddenError('this role has no contact of its own; staff put community workers');
    return this.write(recipientIdOf(actor), kind, body, actor);
  }

  async get(contactId: string, actor: Actor): Promise<ContactDocument> {
    const contact = await this.contacts.get(contactId, actor);
    if (!contact) throw new NotFoundError('contact', contactId);
    return contact;
  }

  /** The user's own contact, wherever its areas are. */
  async mine(actor: Actor): Promise<ContactDocument> {
    const id = recipientIdOf(actor);
    const contact = await this.contacts.get(id);
    if (!contact) throw new NotFoundError('contact', id);
    return contact;
  }

  async list(query: ListContactsQuery, actor: Actor) {
    const page = query.page ?? 1;
    const pageSize = Math.min(query.pageSize ?? 20, config.MAX_PAGE_SIZE);
    const items = await this.contacts.list(actor, { kind: query.kind, area: query.area }, page, pageSize);
    return { items, page, pageSize };
  }

  async deactivate(contactId: string, actor: Actor, kind?: ContactKind): Promise<void> {
    if (!(await this.contacts.deactivate(contactId, actor, kind))) {
      throw new NotFoundError(kind === 'resident' ? 'subscription' : 'contact', contactId);
    }
  }

  /** POST /subscriptions: one per phone and community; the same again answers the one there. */
  async subscribe(body: SubscribeDto, actor: Actor): Promise<PutResult> {
    if (!actor.covers(body.community)) {
      throw ValidationError.field(
        'community',
        `outside the caller's jurisdiction ${actor.jurisdiction}`,
        400,
      );
    }
    const hash = phoneHash(body.phone, config.PERSONAL_HASH_KEY);
    const existing = await this.contacts.subscriptionOf(hash, body.community);
    if (existing) return { contact: existing, created: false };
    const now = new Date();
    const day = chinaDate(now).replaceAll('-', '');
    const number = await this.contacts.nextSubscriptionNumber(day);
    const contact: ContactDocument = {
      _id: `S${day}-${String(number).padStart(6, '0')}`,
      kind: 'resident',
      areas: [body.community],
      areaPrefixes: areaPrefixesOf([body.community]),
      language: body.language ?? 'zh-CN',
      channels: ['sms'],
      phone: normalisePhone(body.phone),
      phoneHash: hash,
      phoneMasked: maskPhone(body.phone),
      active: true,
      jurisdiction: body.community,
      version: 0,
      createdAt: now,
      updatedAt: now,
    };
    await this.contacts.insert(contact);
    return { contact, created: true };
  }

  private async write(
    contactId: string,
    kind: ContactKind,
    body: ContactFieldsDto,
    actor: Actor,
  ): Promise<PutResult> {
    const errors: FieldError[] = [];
    body.areas.forEach((area, index) => {
      if (!actor.covers(area)) {
        errors.push({ field: `areas.${index}`, message: `${area} is outside the caller's jurisdiction` });
      }
    });
    if (body.channels.includes('sms') && !body.phone) {
      errors.push({ field: 'phone', message: 'phone is required for the sms channel' });
    }
    if (body.channels.includes('webhook')) {
      if (!body.webhookId)
        errors.push({ field: 'webhookId', message: 'webhookId is required for the webhook channel' });
      else if (!(await this.webhooks.isActive(body.webhookId, actor))) {
        errors.push({
          field: 'webhookId',
          message: `webhook ${body.webhookId} does not exist or is not the caller's to use`,
        });
      }
    }
    if (errors.length > 0) throw new ValidationError(errors, 400);

    for (let attempt = 1; attempt <= config.WRITE_ATTEMPTS; attempt++) {
      const existing = await this.contacts.get(contactId);
      // Another jurisdiction's contact is as good as absent to this caller; so is a subscription under another id.
      if (existing && !actor.covers(existing.jurisdiction)) throw new NotFoundError('contact', contactId);
      if (existing && existing.kind !== kind && (existing.kind === 'resident' || kind === 'resident')) {
        throw new ConflictError(`contact ${contactId} is a ${existing.kind}`, { kind: existing.kind });
      }
      const now = new Date();
      const contact: ContactDocument = {
        _id: contactId,
        kind,
        areas: body.areas,
        areaPrefixes: areaPrefixesOf(body.areas),
        language: body.language ?? existing?.language ?? 'zh-CN',
        channels: body.channels,
        ...(body.phone
          ? {
              phone: normalisePhone(body.phone),
              phoneHash: phoneHash(body.phone, config.PERSONAL_HASH_KEY),
              phoneMasked: maskPhone(body.phone),
            }
          : {}),
        ...(body.webhookId ? { webhookId: body.webhookId } : {}),
        active: body.active ?? true,
        jurisdiction: jurisdictionOf(body.areas),
        version: existing ? existing.version + 1 : 0,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      const written = existing
        ? await this.contacts.replace(contact, existing.version)
        : await this.contacts.insert(contact);
      if (written) return { contact, created: !existing };
    }
    throw new ConflictError(`contact ${contactId} kept changing; try again`);
  }
}
