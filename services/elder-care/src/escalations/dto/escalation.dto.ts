// What clients send and get for escalations.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ESCALATION_STATUSES } from '../escalation.schema';

export const ESCALATION_NOTE_MAX = 2000;

export class ListEscalationsQuery {
  @ApiPropertyOptional({ description: 'Administrative code prefix (a district, a street, a community)' })
  @IsOptional()
  @Matches(/^[0-9]{2,12}$/, { message: 'community must be an administrative code or a prefix of one' })
  community?: string;

  @ApiPropertyOptional({ enum: ESCALATION_STATUSES })
  @IsOptional()
  @IsIn(ESCALATION_STATUSES)
  status?: (typeof ESCALATION_STATUSES)[number];
}

export class AcknowledgeEscalationDto {
  @ApiPropertyOptional({ maxLength: ESCALATION_NOTE_MAX, description: 'What was done (who was called)' })
  @IsOptional()
  @IsString()
  @MaxLength(ESCALATION_NOTE_MAX)
  note?: string;
}

export class CommunityContactView {
  @ApiProperty() name!: string;
  @ApiProperty() role!: string;
  @ApiProperty({ description: 'In full: the supervisor must call it' }) phone!: string;
}

export class ElderContactView {
  @ApiProperty() name!: string;
  @ApiProperty() relation!: string;
  @ApiProperty({
    description:
      'In full to the coordinator or supervisor while the escalation is open (they call it); masked after',
  })
  phone!: string;
}

export class EscalationContactsView {
  @ApiProperty({ type: [CommunityContactView], description: 'The community’s emergency contact list' })
  community!: CommunityContactView[];
  @ApiProperty({ type: [ElderContactView], description: 'The elder’s own emergency contacts' })
  elder!: ElderContactView[];
}

export class EscalationView {
  @ApiProperty() escalationId!: string;
  @ApiProperty() elderId!: string;
  @ApiProperty() community!: string;
  @ApiProperty({ enum: ['missed-visits-in-a-row'] }) reason!: string;
  @ApiProperty({ type: [String] }) visitIds!: string[];
  @ApiProperty({ enum: ESCALATION_STATUSES }) status!: string;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional() acknowledgedAt?: string;
  @ApiPropertyOptional() acknowledgedBy?: string;
  @ApiPropertyOptional() note?: string;
  @ApiProperty({ type: EscalationContactsView }) contacts!: EscalationContactsView;
}

export class EscalationList {
  @ApiProperty({ type: [EscalationView] }) items!: EscalationView[];
}
