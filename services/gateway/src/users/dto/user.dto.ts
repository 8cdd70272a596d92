// What admins and users send about users, and the view they get back: never the password hash, never the
// sign-in bookkeeping beyond a lock. Unknown fields are refused by the platform's ValidationPipe (mass assignment).
import { IsDivisionCode } from '@linli/divisions';
import { PageQueryDto } from '@linli/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { MAX_PASSWORD_LENGTH, USERNAME_PATTERN } from '../user.rules';
import { USER_ROLES, USER_STATUSES, type UserDocument, type UserStatus } from '../user.schema';

const REQUIRED = { message: '$property is required' };
const PROVIDER_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const JURISDICTION = /^[0-9]{2,12}$/;
type UserRole = (typeof USER_ROLES)[number];

export class CreateUserDto {
  @ApiProperty({ pattern: USERNAME_PATTERN.source, description: 'Lowercase; the user id, never changed' })
  @IsDefined(REQUIRED)
  @IsString()
  @Matches(USERNAME_PATTERN, {
    message: 'username must be 3-40 lowercase letters, digits, . _ or -, from a letter',
  })
  username!: string;

  @ApiProperty({ example: '张丽 (鼓楼区热线)' })
  @IsDefined(REQUIRED)
  @IsString()
  @Length(1, 100)
  displayName!: string;

  @ApiProperty({ description: 'At least PASSWORD_MIN_LENGTH characters, not the username' })
  @IsDefined(REQUIRED)
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  password!: string;

  @ApiProperty({ enum: USER_ROLES, isArray: true })
  @IsDefined(REQUIRED)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(USER_ROLES.length)
  @ArrayUnique()
  @IsIn(USER_ROLES, { each: true })
  roles!: UserRole[];

  @ApiProperty({ example: '320106', description: 'A code of the administrative tree inside the admin’s own' })
  @IsDefined(REQUIRED)
  @IsDivisionCode()
  jurisdiction!: string;

  @ApiPropertyOptional({ description: 'For provider users: the provider in dispatch they act for' })
  @IsOptional()
  @IsString()
  @Matches(PROVIDER_ID)
  providerId?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  displayName?: string;

  @ApiPropertyOptional({ enum: USER_ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(USER_ROLES.length)
  @ArrayUnique()
  @IsIn(USER_ROLES, { each: true })
  roles?: UserRole[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsDivisionCode()
  jurisdiction?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(PROVIDER_ID)
  providerId?: string;

  @ApiPropertyOptional({ enum: USER_STATUSES })
  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;

  @ApiProperty({ description: 'The version read: a change made meanwhile answers 409' })
  @IsDefined(REQUIRED)
  @IsInt()
  @Min(0)
  version!: number;
}

export class SetPasswordDto {
  @ApiProperty()
  @IsDefined(REQUIRED)
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  password!: string;
}

export class ChangeMyPasswordDto {
  @ApiProperty()
  @IsDefined(REQUIRED)
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  currentPassword!: string;

  @ApiProperty()
  @IsDefined(REQUIRED)
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  newPassword!: string;
}

export class ListUsersQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: USER_ROLES })
  @IsOptional()
  @IsIn(USER_ROLES)
  role?: UserRole;

  @ApiPropertyOptional({ description: 'Users whose jurisdiction lies inside this code prefix' })
  @IsOptional()
  @Matches(JURISDICTION)
  jurisdiction?: string;

  @ApiPropertyOptional({ enum: USER_STATUSES })
  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;
}

export class UserView {
  @ApiProperty() userId!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: USER_ROLES, isArray: true }) roles!: string[];
  @ApiProperty() jurisdiction!: string;
  @ApiPropertyOptional() providerId?: string;
  @ApiProperty({ enum: USER_STATUSES }) status!: UserStatus;
  @ApiPropertyOptional({ description: 'Present while the account is locked after failed sign-ins' })
  lockedUntil?: Date;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
  @ApiProperty() version!: number;
}

export class UserPage {
  @ApiProperty({ type: [UserView] }) items!: UserView[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

/** The user as anyone may see them: listed field by field, so nothing added to the document leaks by default. */
export function toUserView(user: UserDocument, now = new Date()): UserView {
  return {
    userId: user._id,
    username: user._id,
    displayName: user.displayName,
    roles: user.roles,
    jurisdiction: user.jurisdiction,
    ...(user.providerId ? { providerId: user.providerId } : {}),
    status: user.status,
    ...(user.lockedUntil && user.lockedUntil.getTime() > now.getTime()
      ? { lockedUntil: user.lockedUntil }
      : {}),
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
    version: user.version,
  };
}
