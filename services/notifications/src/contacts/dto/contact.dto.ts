// What clients send for the directory (a contact put by staff or by the user, a resident's subscription, lists)
// and the views they get back; the phone only ever shown masked.
import { CONTACT_KINDS, DELIVERY_CHANNELS } from '@linli/contracts';
import { IsDivisionCode } from '@linli/divisions';
import { IsPhoneNumber, PageQueryDto } from '@linli/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  Matches,
} from 'class-validator';
import { CONTACT_LANGUAGES, type ContactDocument } from '../contact.schema';

const REQUIRED = { message: '$property is required' };
export const MAX_CONTACT_AREAS = 50;
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export class ContactFieldsDto {
  @ApiProperty({ type: [String], description: 'Administrative codes (street, community or larger)' })
  @IsDefined(REQUIRED)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_CONTACT_AREAS)
  @ArrayUnique()
  @IsDivisionCode(undefined, { each: true })
  areas!: string[];

  @ApiPropertyOptional({ enum: CONTACT_LANGUAGES, default: 'zh-CN' })
  @IsOptional()
  @IsIn(CONTACT_LANGUAGES)
  language?: (typeof CONTACT_LANGUAGES)[number];

  @ApiProperty({
    enum: DELIVERY_CHANNELS,
    isArray: true,
    description: 'Ordered: the first for broadcasts, the second for a re-send',
  })
  @IsDefined(REQUIRED)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(DELIVERY_CHANNELS.length)
  @ArrayUnique()
  @IsIn(DELIVERY_CHANNELS, { each: true })
  channels!: (typeof DELIVERY_CHANNELS)[number][];

  @ApiPropertyOptional({ example: '13812345678', description: 'Needed for the sms channel' })
  @IsOptional()
  @IsPhoneNumber()
  phone?: string;

  @ApiPropertyOptional({ description: 'Needed for the webhook channel: a registered webhook' })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN)
  webhookId?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class PutContactDto extends ContactFieldsDto {
  @ApiProperty({ enum: CONTACT_KINDS })
  @IsDefined(REQUIRED)
  @IsIn(CONTACT_KINDS)
  kind!: (typeof CONTACT_KINDS)[number];
}

/** PUT /contacts/me: the kind comes from the role (a community worker is put by staff). */
export class PutMyContactDto extends ContactFieldsDto {}

export class ListContactsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: CONTACT_KINDS })
  @IsOptional()
  @IsIn(CONTACT_KINDS)
  kind?: (typeof CONTACT_KINDS)[number];

  @ApiPropertyOptional({ description: 'Contacts whose areas overlap this code' })
  @IsOptional()
  @IsDivisionCode()
  area?: string;
}

export class SubscribeDto {
  @ApiProperty({ description: 'The resident’s community (12 digits)' })
  @IsDefined(REQUIRED)
  @IsDivisionCode(['community'])
  community!: string;

  @ApiProperty({ example: '13812345678' })
  @IsDefined(REQUIRED)
  @IsPhoneNumber()
  phone!: string;

  @ApiPropertyOptional({ enum: CONTACT_LANGUAGES, default: 'zh-CN' })
  @IsOptional()
  @IsIn(CONTACT_LANGUAGES)
  language?: (typeof CONTACT_LANGUAGES)[number];
}

export class ContactView {
  @ApiProperty() contactId!: string;
  @ApiProperty({ enum: CONTACT_KINDS }) kind!: string;
  @ApiProperty({ type: [String] }) areas!: string[];
  @ApiProperty({ enum: CONTACT_LANGUAGES }) language!: string;
  @ApiProperty({ enum: DELIVERY_CHANNELS, isArray: true }) channels!: string[];
  @ApiPropertyOptional({ example: '138****5678' }) phone?: string;
  @ApiPropertyOptional() webhookId?: string;
  @ApiProperty() active!: boolean;
  @ApiProperty() jurisdiction!: string;
  @ApiProperty() version!: number;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}

export class ContactPage {
  @ApiProperty({ type: [ContactView] }) items!: ContactView[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class SubscriptionView {
  @ApiProperty() subscriptionId!: string;
  @ApiProperty() community!: string;
  @ApiProperty({ example: '138****5678' }) phone!: string;
  @ApiProperty() language!: string;
  @ApiProperty() active!: boolean;
}

export function toContactView(contact: ContactDocument): ContactView {
  return {
    contactId: contact._id,
    kind: contact.kind,
    areas: contact.areas,
    language: contact.language,
    channels: contact.channels,
    ...(contact.phoneMasked ? { phone: contact.phoneMasked } : {}),
    ...(contact.webhookId ? { webhookId: contact.webhookId } : {}),
    active: contact.active,
    jurisdiction: contact.jurisdiction,
    version: contact.version,
    createdAt: contact.createdAt,
    updatedAt: contact.updatedAt,
  };
}

export function toSubscriptionView(contact: ContactDocument): SubscriptionView {
  return {
    subscriptionId: contact._id,
    community: contact.areas[0] ?? '',
    phone: contact.phoneMasked ?? '',
    language: contact.language,
    active: contact.active,
  };
}
