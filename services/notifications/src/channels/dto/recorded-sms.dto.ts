// The query and view of the SMS the `record` adapter kept (development and tests).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

export class RecordedSmsQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(ID)
  deliveryId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(ID)
  contactId?: string;
}

export class RecordedSmsView {
  @ApiProperty() deliveryId!: string;
  @ApiProperty() contactId!: string;
  @ApiProperty({ example: '138****5678' }) to!: string;
  @ApiProperty() text!: string;
  @ApiProperty() recordedAt!: string;
}

export class RecordedSmsList {
  @ApiProperty({ type: [RecordedSmsView] }) items!: RecordedSmsView[];
}
