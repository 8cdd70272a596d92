// HTTP of the webhook registry (admins and coordinators): register, read (health), the deliveries, remove.
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { DeliveryDocument } from '../../deliveries/delivery.schema';
import {
  CreatedWebhookView,
  CreateWebhookDto,
  WebhookDeliveriesPage,
  WebhookDeliveriesQuery,
  WebhookDeliveryView,
  WebhookView,
} from '../dto/webhook.dto';
import type { WebhookDocument } from './webhook.schema';
import { WebhooksService } from './webhooks.service';

const MANAGERS = ['admin', 'coordinator'] as const;

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Roles(...MANAGERS)
  @ApiCreatedResponse({ type: CreatedWebhookView, description: 'The secret is in this reply only' })
  async register(@Body() body: CreateWebhookDto, @CurrentActor() actor: Actor): Promise<CreatedWebhookView> {
    const webhook = await this.webhooks.register(body, actor);
    return { ...toWebhookView(webhook), secret: webhook.secret };
  }

  @Get(':webhookId')
  @Roles(...MANAGERS)
  @ApiOkResponse({ type: WebhookView })
  async get(@Param('webhookId') webhookId: string, @CurrentActor() actor: Actor): Promise<WebhookView> {
    return toWebhookView(await this.webhooks.get(webhookId, actor));
  }

  @Get(':webhookId/deliveries')
  @Roles(...MANAGERS)
  @ApiOkResponse({ type: WebhookDeliveriesPage })
  async deliveries(
    @Param('webhookId') webhookId: string,
    @Query() query: WebhookDeliveriesQuery,
    @CurrentActor() actor: Actor,
  ): Promise<WebhookDeliveriesPage> {
    const page = await this.webhooks.deliveries(webhookId, query, actor);
    return { ...page, items: page.items.map(toDeliveryView) };
  }

  @Delete(':webhookId')
  @HttpCode(204)
  @Roles(...MANAGERS)
  @ApiNoContentResponse({ description: 'Inactive: nothing is sent to it any more' })
  async remove(@Param('webhookId') webhookId: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.webhooks.remove(webhookId, actor);
  }
}

function toWebhookView(webhook: WebhookDocument): WebhookView {
  return {
    webhookId: webhook._id,
    url: webhook.url,
    ...(webhook.description ? { description: webhook.description } : {}),
    areas: webhook.areas,
    jurisdiction: webhook.jurisdiction,
    active: webhook.active,
    status: webhook.status,
    consecutiveFailures: webhook.consecutiveFailures,
    ...(webhook.lastError ? { lastError: webhook.lastError } : {}),
    ...(webhook.lastAttemptAt ? { lastAttemptAt: webhook.lastAttemptAt.toISOString() } : {}),
    ...(webhook.lastSuccessAt ? { lastSuccessAt: webhook.lastSuccessAt.toISOString() } : {}),
    createdAt: webhook.createdAt.toISOString(),
  };
}

function toDeliveryView(delivery: DeliveryDocument): WebhookDeliveryView {
  return {
    deliveryId: delivery._id,
    recipientId: delivery.recipientId,
    template: delivery.template,
    status: delivery.status,
    attempts: delivery.attempts,
    ...(delivery.lastError ? { lastError: delivery.lastError } : {}),
    ...(delivery.nextAttemptAt ? { nextAttemptAt: delivery.nextAttemptAt.toISOString() } : {}),
    ...(delivery.sentAt ? { sentAt: delivery.sentAt.toISOString() } : {}),
    ...(delivery.failedAt ? { failedAt: delivery.failedAt.toISOString() } : {}),
    createdAt: delivery.createdAt.toISOString(),
  };
}
