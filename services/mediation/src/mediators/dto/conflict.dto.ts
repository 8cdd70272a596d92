// What a mediator sends to declare a conflict of interest, and what they (and supervisors) read back: masked.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { IsIdentityNumber, IsPhoneNumber } from '@linli/platform';

export const CONFLICT_LIMITS = { name: 50, note: 500 } as const;

export class DeclareConflictDto {
  @ApiProperty({ maxLength: CONFLICT_LIMITS.name, description: 'Who the mediator must not mediate for' })
  @IsDefined({ message: 'name is required' })
  @IsString()
  @MinLength(1)
  @MaxLength(CONFLICT_LIMITS.name)
  name!: string;

  @ApiPropertyOptional({
    description: 'A phone or an identity number is required: a name alone is ambiguous',
  })
  @ValidateIf((body: DeclareConflictDto) => body.phone !== undefined || body.identityNumber === undefined)
  @IsDefined({ message: 'phone or identityNumber is required: a name alone is ambiguous' })
  @IsPhoneNumber()
  phone?: string;

  @ApiPropertyOptional({ example: '11010519491231002X' })
  @IsOptional()
  @IsIdentityNumber()
  identityNumber?: string;

  @ApiPropertyOptional({ maxLength: CONFLICT_LIMITS.note })
  @IsOptional()
  @IsString()
  @MaxLength(CONFLICT_LIMITS.note)
  note?: string;
}

export class ConflictView {
  @ApiProperty() conflictId!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ description: 'Masked: 138****5678' }) phone?: string;
  @ApiPropertyOptional({ description: 'Masked: 320106********123X' }) identityNumber?: string;
  @ApiPropertyOptional() note?: string;
  @ApiProperty() declaredAt!: string;
}

export class ConflictList {
  @ApiProperty() mediatorId!: string;
  @ApiProperty({ type: [ConflictView] }) items!: ConflictView[];
}
