// What clients send to register webhooks and list their deliveries, and the views they get back.
import { IsDivisionCode } from '@linli/divisions';
import { PageQueryDto } from '@linli/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { DELIVERY_STATUSES } from '../../deliveries/delivery.schema';
import { MAX_WEBHOOK_URL_LENGTH } from '../webhooks/webhook-target.rules';

export const WEBHOOK_LIMITS = { description: 500, areas: 200 } as const;

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://alarm.gulou.example.cn/linli', maxLength: MAX_WEBHOOK_URL_LENGTH })
  @IsDefined({ message: 'url is required' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_WEBHOOK_URL_LENGTH)
  url!: string;

  @ApiPropertyOptional({ maxLength: WEBHOOK_LIMITS.description })
  @IsOptional()
  @IsString()
  @MaxLength(WEBHOOK_LIMITS.description)
  description?: string;

  @ApiPropertyOptional({ type: [String], description: 'Administrative codes inside your jurisdiction' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(WEBHOOK_LIMITS.areas)
  @IsDivisionCode(undefined, { each: true })
  areas?: string[];
}

export class WebhookDeliveriesQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: (typeof DELIVERY_STATUSES)[number];
}

export class WebhookView {
  @ApiProperty() webhookId!: string;
  @ApiProperty() url!: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ type: [String] }) areas!: string[];
  @ApiProperty() jurisdiction!: string;
  @ApiProperty() active!: boolean;
  @ApiProperty({ enum: ['healthy', 'failing'] }) status!: string;
  @ApiProperty() consecutiveFailures!: number;
  @ApiPropertyOptional() lastError?: string;
  @ApiPropertyOptional() lastAttemptAt?: string;
  @ApiPropertyOptional() lastSuccessAt?: string;
  @ApiProperty() createdAt!: string;
}

export class CreatedWebhookView extends WebhookView {
  @ApiProperty({ description: 'The signing secret, shown this once only' })
  secret!: string;
}

export class WebhookDeliveryView {
  @ApiProperty() deliveryId!: string;
  @ApiProperty() recipientId!: string;
  @ApiProperty() template!: string;
  @ApiProperty() status!: string;
  @ApiProperty() attempts!: number;
  @ApiPropertyOptional() lastError?: string;
  @ApiPropertyOptional() nextAttemptAt?: string;
  @ApiPropertyOptional() sentAt?: string;
  @ApiPropertyOptional() failedAt?: string;
  @ApiProperty() createdAt!: string;
}

export class WebhookDeliveriesPage {
  @ApiProperty({ type: [WebhookDeliveryView] }) items!: WebhookDeliveryView[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
