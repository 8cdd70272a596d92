// HTTP of the directory and of residents' subscriptions. DTOs in, views out.
import { AuditPersonalRead } from '@linli/audit';
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ContactsService } from './contacts.service';
import {
  ContactPage,
  ContactView,
  ListContactsQuery,
  PutContactDto,
  PutMyContactDto,
  SubscribeDto,
  SubscriptionView,
  toContactView,
  toSubscriptionView,
} from './dto/contact.dto';

const STAFF = ['admin', 'coordinator', 'supervisor'] as const;

@ApiTags('contacts')
@ApiBearerAuth()
@Controller('contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Get('me')
  @AuditPersonalRead('contact', ['name', 'phone'])
  @ApiOkResponse({ type: ContactView })
  async mine(@CurrentActor() actor: Actor): Promise<ContactView> {
    return toContactView(await this.contacts.mine(actor));
  }

  @Put('me')
  @ApiOkResponse({ type: ContactView, description: '201 when created' })
  async putMine(
    @Body() body: PutMyContactDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ContactView> {
    const { contact, created } = await this.contacts.putMine(body, actor);
    reply.status(created ? 201 : 200);
    return toContactView(contact);
  }

  @Get()
  @Roles(...STAFF, 'operator')
  @ApiOkResponse({ type: ContactPage })
  async list(@Query() query: ListContactsQuery, @CurrentActor() actor: Actor): Promise<ContactPage> {
    const page = await this.contacts.list(query, actor);
    return { ...page, items: page.items.map(toContactView) };
  }

  @Get(':contactId')
  @AuditPersonalRead('contact', ['name', 'phone'])
  @Roles(...STAFF, 'operator')
  @ApiOkResponse({ type: ContactView })
  async get(@Param('contactId') contactId: string, @CurrentActor() actor: Actor): Promise<ContactView> {
    return toContactView(await this.contacts.get(contactId, actor));
  }

  @Put(':contactId')
  @Roles(...STAFF)
  @ApiOkResponse({ type: ContactView, description: '201 when created' })
  async put(
    @Param('contactId') contactId: string,
    @Body() body: PutContactDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ContactView> {
    const { contact, created } = await this.contacts.put(contactId, body, actor);
    reply.status(created ? 201 : 200);
    return toContactView(contact);
  }

  @Delete(':contactId')
  @HttpCode(204)
  @Roles(...STAFF)
  async remove(@Param('contactId') contactId: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.contacts.deactivate(contactId, actor);
  }
}

@ApiTags('contacts')
@ApiBearerAuth()
@Controller('subscriptions')
export class SubscriptionsController {
  constructor(private readonly contacts: ContactsService) {}

  @Post()
  @Roles('operator', 'coordinator', 'admin')
  @ApiOkResponse({
    type: SubscriptionView,
    description: '201 when new, 200 the same phone and community again',
  })
  async subscribe(
    @Body() body: SubscribeDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SubscriptionView> {
    const { contact, created } = await this.contacts.subscribe(body, actor);
    reply.status(created ? 201 : 200);
    return toSubscriptionView(contact);
  }

  @Delete(':subscriptionId')
  @HttpCode(204)
  @Roles('operator', 'coordinator', 'admin')
  async remove(@Param('subscriptionId') subscriptionId: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.contacts.deactivate(subscriptionId, actor, 'resident');
  }
}
