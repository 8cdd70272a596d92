// What clients send to read their inbox and the receipts, and the views they get back.
import { DELIVERY_CHANNELS } from '@linli/contracts';
import { PageQueryDto, queryBoolean } from '@linli/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { DELIVERY_STATUSES, type DeliveryDocument } from '../delivery.schema';

export const INBOX_MAX_LIMIT = 100;

export class InboxQuery {
  @ApiPropertyOptional({ description: 'Only the unread' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  unread?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: INBOX_MAX_LIMIT, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INBOX_MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({
    description: 'Items created before this instant (the last createdAt of the page before)',
  })
  @IsOptional()
  @IsDateString()
  before?: string;
}

export class ReceiptsQuery extends PageQueryDto {
  @ApiPropertyOptional({ example: 'alert:I20261129-000001-A1:1' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  messageKey?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/)
  recipientId?: string;

  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: (typeof DELIVERY_STATUSES)[number];

  @ApiPropertyOptional({ enum: DELIVERY_CHANNELS })
  @IsOptional()
  @IsIn(DELIVERY_CHANNELS)
  channel?: (typeof DELIVERY_CHANNELS)[number];
}

export class InboxItemView {
  @ApiProperty() deliveryId!: string;
  @ApiProperty() template!: string;
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ type: Object }) data!: Record<string, unknown>;
  @ApiProperty() createdAt!: Date | string;
  @ApiPropertyOptional({ nullable: true }) readAt?: Date | string | null;
}

export class InboxPage {
  @ApiProperty({ type: [InboxItemView] }) items!: InboxItemView[];
}

export class UnreadView {
  @ApiProperty() unread!: number;
}

export class ReceiptView {
  @ApiProperty() deliveryId!: string;
  @ApiProperty() messageKey!: string;
  @ApiProperty() recipientId!: string;
  @ApiProperty({ enum: DELIVERY_CHANNELS }) channel!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiPropertyOptional() lastError?: string;
  @ApiPropertyOptional() sentAt?: Date;
  @ApiPropertyOptional() failedAt?: Date;
  @ApiPropertyOptional() readAt?: Date;
  @ApiProperty() createdAt!: Date;
}

export class ReceiptPage {
  @ApiProperty({ type: [ReceiptView] }) items!: ReceiptView[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class BroadcastView {
  @ApiProperty() broadcastId!: string;
  @ApiProperty({ enum: ['resolving', 'completed'] }) status!: string;
  @ApiProperty() recipientCount!: number;
  @ApiProperty({ type: Object }) byChannel!: Record<string, number>;
  @ApiProperty() startedAt!: Date;
  @ApiPropertyOptional() completedAt?: Date;
}

export function toReceiptView(delivery: DeliveryDocument): ReceiptView {
  return {
    deliveryId: delivery._id,
    messageKey: delivery.messageKey,
    recipientId: delivery.recipientId,
    channel: delivery.channel,
    status: delivery.status,
    attempts: delivery.attempts,
    ...(delivery.lastError ? { lastError: delivery.lastError } : {}),
    ...(delivery.sentAt ? { sentAt: delivery.sentAt } : {}),
    ...(delivery.failedAt ? { failedAt: delivery.failedAt } : {}),
    ...(delivery.readAt ? { readAt: delivery.readAt } : {}),
    createdAt: delivery.createdAt,
  };
}
