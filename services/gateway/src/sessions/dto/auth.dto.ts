// What clients send to sign in and refresh, and the tokens they get back.
import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString, Length, MaxLength } from 'class-validator';
import { UserView } from '../../users/dto/user.dto';
import { MAX_PASSWORD_LENGTH } from '../../users/user.rules';

const REQUIRED = { message: '$property is required' };

export class LoginDto {
  @ApiProperty({ example: 'op-gulou' })
  @IsDefined(REQUIRED)
  @IsString()
  @Length(1, 128)
  username!: string;

  @ApiProperty()
  @IsDefined(REQUIRED)
  @IsString()
  @Length(1, MAX_PASSWORD_LENGTH)
  password!: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token of the last sign-in or refresh (each is good for one use)' })
  @IsDefined(REQUIRED)
  @IsString()
  @MaxLength(128)
  refreshToken!: string;
}

export class TokenView {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'Seconds the access token is valid' }) expiresIn!: number;
  @ApiProperty() refreshToken!: string;
  @ApiProperty({ description: 'Seconds until the session ends: sign in again after' })
  refreshExpiresIn!: number;
  @ApiProperty({ type: UserView }) user!: UserView;
}
