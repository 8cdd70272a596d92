// What clients send to answer an alert (signed in, or by the link of an SMS) and to read its recipients, and the
// views they get back; validated at the edge, ids bounded as the events bound them.
import {
  ACKNOWLEDGEMENT_CHANNELS,
  ACKNOWLEDGEMENT_RESPONSES,
  CONTACT_KINDS,
  DELIVERY_CHANNELS,
} from '@linli/contracts';
import { PageQueryDto } from '@linli/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { RECIPIENT_STATUSES, type AcknowledgementResponse, type RecipientStatus } from '../recipient.rules';

const REQUIRED = { message: '$property is required' };
/** The ids events carry (contracts' Id): alerts, recipients. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const ID_MAX = 64;
/** An acknowledgement link's token: base64url of a SHA-256 HMAC (43 characters); a little room, no more. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]+$/;
const TOKEN_MAX = 128;
/** How a signed-in caller's answer came in (`link` is the link's own endpoint). */
export const SIGNED_IN_CHANNELS = ['app', 'phone', 'in-person'] as const;

export class AcknowledgeDto {
  @ApiProperty({ enum: ACKNOWLEDGEMENT_RESPONSES })
  @IsDefined(REQUIRED)
  @IsIn(ACKNOWLEDGEMENT_RESPONSES)
  response!: AcknowledgementResponse;

  @ApiPropertyOptional({ enum: SIGNED_IN_CHANNELS, default: 'app' })
  @IsOptional()
  @IsIn(SIGNED_IN_CHANNELS)
  channel?: (typeof SIGNED_IN_CHANNELS)[number];

  @ApiPropertyOptional({
    description:
      'Staff only (coordinator, supervisor, admin, operator): whose answer, taken by phone or in person',
    maxLength: ID_MAX,
  })
  @IsOptional()
  @IsString()
  @MaxLength(ID_MAX)
  @Matches(ID_PATTERN, { message: 'recipientId must be a contact id' })
  recipientId?: string;
}

export class LinkAcknowledgeDto {
  @ApiProperty({ maxLength: ID_MAX })
  @IsDefined(REQUIRED)
  @IsString()
  @MaxLength(ID_MAX)
  @Matches(ID_PATTERN, { message: 'alertId must be an alert id' })
  alertId!: string;

  @ApiProperty({ maxLength: ID_MAX })
  @IsDefined(REQUIRED)
  @IsString()
  @MaxLength(ID_MAX)
  @Matches(ID_PATTERN, { message: 'recipientId must be a contact id' })
  recipientId!: string;

  @ApiProperty({ description: 'The t of the link: base64url HMAC-SHA256 of "<alertId>:<recipientId>"' })
  @IsDefined(REQUIRED)
  @IsString()
  @MaxLength(TOKEN_MAX)
  @Matches(TOKEN_PATTERN, { message: 'token must be base64url' })
  token!: string;

  @ApiProperty({ enum: ACKNOWLEDGEMENT_RESPONSES })
  @IsDefined(REQUIRED)
  @IsIn(ACKNOWLEDGEMENT_RESPONSES)
  response!: AcknowledgementResponse;
}

/** The link itself, opened from an SMS: `?a=<alertId>&r=<recipientId>&t=<token>`; shows the answers, records nothing. */
export class LinkQuery {
  @ApiProperty({ description: 'Alert id' })
  @IsDefined(REQUIRED)
  @IsString()
  @MaxLength(ID_MAX)
  @Matches(ID_PATTERN, { message: 'a must be an alert id' })
  a!: string;

  @ApiProperty({ description: 'Recipient id' })
  @IsDefined(REQUIRED)
  @IsString()
  @MaxLength(ID_MAX)
  @Matches(ID_PATTERN, { message: 'r must be a contact id' })
  r!: string;

  @ApiProperty({ description: 'Token' })
  @IsDefined(REQUIRED)
  @IsString()
  @MaxLength(TOKEN_MAX)
  @Matches(TOKEN_PATTERN, { message: 't must be base64url' })
  t!: string;
}

export class RecipientsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: RECIPIENT_STATUSES })
  @IsOptional()
  @IsIn(RECIPIENT_STATUSES)
  status?: RecipientStatus;
}

export class AcknowledgementView {
  @ApiProperty() alertId!: string;
  @ApiProperty() recipientId!: string;
  @ApiProperty({ enum: RECIPIENT_STATUSES }) status!: RecipientStatus;
  @ApiPropertyOptional({ enum: ACKNOWLEDGEMENT_RESPONSES }) response?: AcknowledgementResponse;
  @ApiPropertyOptional({ enum: ACKNOWLEDGEMENT_CHANNELS, description: 'How the answer came in' })
  channel?: (typeof ACKNOWLEDGEMENT_CHANNELS)[number];
  @ApiPropertyOptional() acknowledgedAt?: string;
}

export class RecipientRowView {
  @ApiProperty() recipientId!: string;
  @ApiProperty({
    enum: CONTACT_KINDS,
    nullable: true,
    description: 'null while only an early answer is known',
  })
  kind!: (typeof CONTACT_KINDS)[number] | null;
  @ApiProperty({ enum: DELIVERY_CHANNELS, nullable: true }) channel!:
    (typeof DELIVERY_CHANNELS)[number] | null;
  @ApiProperty({ enum: DELIVERY_CHANNELS, nullable: true })
  secondChannel!: (typeof DELIVERY_CHANNELS)[number] | null;
  @ApiProperty({ enum: RECIPIENT_STATUSES }) status!: RecipientStatus;
  @ApiPropertyOptional({ enum: ACKNOWLEDGEMENT_RESPONSES }) response?: AcknowledgementResponse;
  @ApiPropertyOptional({ enum: ACKNOWLEDGEMENT_CHANNELS })
  acknowledgedVia?: (typeof ACKNOWLEDGEMENT_CHANNELS)[number];
  @ApiPropertyOptional() acknowledgedAt?: string;
  @ApiPropertyOptional() resentAt?: string;
  @ApiPropertyOptional() silentAt?: string;
}

export class RecipientPage {
  @ApiProperty({ type: [RecipientRowView] }) items!: RecipientRowView[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class SequenceDelivery {
  @ApiProperty() sequence!: number;
  @ApiProperty({ nullable: true, description: 'From notifications once the broadcast completed' })
  recipientCount!: number | null;
  @ApiProperty() completed!: boolean;
}

export class BoardView {
  @ApiProperty() alertId!: string;
  @ApiProperty({ description: 'Everyone reached (or who answered)' }) recipients!: number;
  @ApiProperty({ description: 'Everyone who answered: received + safe + needsHelp' }) acknowledged!: number;
  @ApiProperty() received!: number;
  @ApiProperty() safe!: number;
  @ApiProperty() needsHelp!: number;
  @ApiProperty() pending!: number;
  @ApiProperty() silent!: number;
  @ApiProperty({ description: 'Re-sent the alert on their second channel' }) resent!: number;
  @ApiProperty({ type: [SequenceDelivery] }) bySequence!: SequenceDelivery[];
}
