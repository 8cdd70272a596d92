// HTTP of users: admins manage the users of their jurisdiction (/users); everyone reads themselves and changes
// their own password (/me). DTOs in, views out.
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentSessionId } from '../sessions/current-session';
import {
  ChangeMyPasswordDto,
  CreateUserDto,
  ListUsersQuery,
  SetPasswordDto,
  toUserView,
  UpdateUserDto,
  UserPage,
  UserView,
} from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiCreatedResponse({ type: UserView })
  async create(
    @Body() body: CreateUserDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserView> {
    const user = await this.users.create(body, actor);
    reply.status(201).header('location', `/users/${user._id}`);
    return toUserView(user);
  }

  @Get()
  @ApiOkResponse({ type: UserPage })
  async list(@Query() query: ListUsersQuery, @CurrentActor() actor: Actor): Promise<UserPage> {
    const page = await this.users.list(query, actor);
    return { ...page, items: page.items.map((user) => toUserView(user)) };
  }

  @Get(':userId')
  @ApiOkResponse({ type: UserView })
  async get(@Param('userId') userId: string, @CurrentActor() actor: Actor): Promise<UserView> {
    return toUserView(await this.users.get(userId, actor));
  }

  @Patch(':userId')
  @ApiOkResponse({ type: UserView })
  async update(
    @Param('userId') userId: string,
    @Body() body: UpdateUserDto,
    @CurrentActor() actor: Actor,
  ): Promise<UserView> {
    return toUserView(await this.users.update(userId, body, actor));
  }

  @Post(':userId/password')
  @HttpCode(204)
  async setPassword(
    @Param('userId') userId: string,
    @Body() body: SetPasswordDto,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.users.setPassword(userId, body, actor);
  }

  @Post(':userId/unlock')
  @HttpCode(204)
  async unlock(@Param('userId') userId: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.users.unlock(userId, actor);
  }
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ type: UserView })
  async me(@CurrentActor() actor: Actor): Promise<UserView> {
    return toUserView(await this.users.me(actor));
  }

  @Post('password')
  @HttpCode(204)
  async changePassword(
    @Body() body: ChangeMyPasswordDto,
    @CurrentActor() actor: Actor,
    @CurrentSessionId() sessionId: string | undefined,
  ): Promise<void> {
    await this.users.changeMyPassword(actor, body, sessionId);
  }
}
