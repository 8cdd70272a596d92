// The webhook registry's use cases: register (target checked, secret generated and shown once), read, remove, and
// the deliveries sent to one (the failures visible to whoever registered it).
import type { Actor } from '@linli/auth';
import { NotFoundError, ValidationError } from '@linli/platform';
import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { config } from '../../config';
import type { DeliveryDocument, DeliveryStatus } from '../../deliveries/delivery.schema';
import type { CreateWebhookDto } from '../dto/webhook.dto';
import { newWebhookSecret } from './webhook.rules';
import type { WebhookDocument } from './webhook.schema';
import { WebhookTargetError } from './webhook-target.rules';
import { WebhookTargets } from './webhook-targets';
import { WebhooksRepository } from './webhooks.repository';

const DEFAULT_PAGE_SIZE = 20;

@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly targets: WebhookTargets,
  ) {}

  async register(body: CreateWebhookDto, actor: Actor): Promise<WebhookDocument> {
    const areas = [...new Set(body.areas ?? [])];
    const outside = areas.findIndex((code) => !actor.covers(code));
    if (outside >= 0) {
      throw ValidationError.field(`areas[${outside}]`, `${areas[outside]} is outside your jurisdiction`, 400);
    }
    try {
      await this.targets.check(body.url);
    } catch (error) {
      if (error instanceof WebhookTargetError) throw ValidationError.field('url', error.message, 400);
      throw error;
    }
    const now = new Date();
    const webhook: WebhookDocument = {
      _id: `wh-${randomBytes(8).toString('hex')}`,
      url: body.url,
      ...(body.description ? { description: body.description } : {}),
      areas,
      jurisdiction: actor.jurisdiction,
      secret: newWebhookSecret(),
      active: true,
      status: 'healthy',
      consecutiveFailures: 0,
      createdBy: actor.userId,
      createdAt: now,
      updatedAt: now,
    };
    await this.webhooks.insert(webhook);
    return webhook;
  }

  async get(webhookId: string, actor: Actor): Promise<WebhookDocument> {
    const webhook = await this.webhooks.findById(webhookId, actor);
    if (!webhook) throw new NotFoundError('webhook', webhookId);
    return webhook;
  }

  async remove(webhookId: string, actor: Actor): Promise<void> {
    if (!(await this.webhooks.deactivate(webhookId, actor, new Date()))) {
      throw new NotFoundError('webhook', webhookId);
    }
  }

  async deliveries(
    webhookId: string,
    query: { status?: DeliveryStatus; page?: number; pageSize?: number },
    actor: Actor,
  ): Promise<{ items: DeliveryDocument[]; page: number; pageSize: number }> {
    await this.get(webhookId, actor);
    const page = query.page ?? 1;
    const pageSize = Math.min(query.pageSize ?? DEFAULT_PAGE_SIZE, config.MAX_PAGE_SIZE);
    return {
      items: await this.webhooks.deliveriesOf(webhookId, query.status, page, pageSize),
      page,
      pageSize,
    };
  }
}
