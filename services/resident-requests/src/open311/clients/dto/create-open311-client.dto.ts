import { IsDivisionCode } from '@linli/divisions';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { API_KEY_MIN_LENGTH } from '../../open311.config';

export class CreateOpen311ClientDto {
  @ApiProperty({ example: 'nanjing-portal', description: 'Unique; lower-case letters, digits and dashes' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'name must be 2-63 lower-case letters, digits or dashes' })
  name!: string;

  @ApiPropertyOptional({
    description: `A key of your own (at least ${API_KEY_MIN_LENGTH} characters), e.g. a known demo key; generated when absent`,
  })
  @IsOptional()
  @IsString()
  @MinLength(API_KEY_MIN_LENGTH)
  @MaxLength(256)
  @Matches(/^[\x21-\x7e]+$/, { message: 'apiKey must be printable ASCII without spaces' })
  apiKey?: string;

  @ApiPropertyOptional({
    example: '32',
    description: 'Code prefix the client may report in; default 32 (Jiangsu)',
  })
  @IsOptional()
  @IsDivisionCode()
  jurisdiction?: string;
}

export class Open311ClientCreatedDto {
  @ApiProperty() name!: string;
  @ApiProperty() jurisdiction!: string;
  @ApiProperty() active!: boolean;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ description: 'Shown this once; only its hash is kept' }) apiKey!: string;
}
