// HTTP of sign-in, refresh and sign-out. DTOs in, tokens out, nothing else.
import { Actor, CurrentActor } from '@linli/auth';
import { PublicRoute } from '@linli/platform';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentSessionId } from './current-session';
import { LoginDto, RefreshDto, TokenView } from './dto/auth.dto';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly sessions: SessionsService) {}

  @Post('login')
  @PublicRoute()
  @HttpCode(200)
  @ApiOkResponse({ type: TokenView, description: '401 wrong username or password; 423 locked' })
  login(@Body() body: LoginDto): Promise<TokenView> {
    return this.sessions.signIn(body.username, body.password);
  }

  @Post('refresh')
  @PublicRoute()
  @HttpCode(200)
  @ApiOkResponse({ type: TokenView, description: '401 for a token used before: its session is revoked' })
  refresh(@Body() body: RefreshDto): Promise<TokenView> {
    return this.sessions.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  async logout(
    @CurrentActor() actor: Actor,
    @CurrentSessionId() sessionId: string | undefined,
  ): Promise<void> {
    await this.sessions.signOut(actor, sessionId);
  }
}
