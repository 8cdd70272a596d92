// HTTP for providers: DTOs in, views out.
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  CreateProviderDto,
  ListProvidersQuery,
  ProviderPage,
  ProviderView,
  UpdateProviderDto,
} from './dto/provider.dto';
import { ProvidersService } from './providers.service';

@ApiTags('providers')
@ApiBearerAuth()
@Controller('providers')
export class ProvidersController {
  constructor(private readonly providers: ProvidersService) {}

  @Post()
  @HttpCode(201)
  @Roles('admin', 'supervisor', 'coordinator')
  @ApiOkResponse({ type: ProviderView })
  register(@Body() body: CreateProviderDto, @CurrentActor() actor: Actor): Promise<ProviderView> {
    return this.providers.register(body, actor);
  }

  @Get()
  @Roles('admin', 'supervisor', 'coordinator', 'operator')
  @ApiOkResponse({ type: ProviderPage })
  list(@Query() query: ListProvidersQuery, @CurrentActor() actor: Actor): Promise<ProviderPage> {
    const { page, pageSize, ...filter } = query;
    return this.providers.list(filter, actor, { page, pageSize });
  }

  @Get(':providerId')
  @Roles('admin', 'supervisor', 'coordinator', 'operator', 'provider', 'mediator')
  @ApiOkResponse({ type: ProviderView })
  get(@Param('providerId') providerId: string, @CurrentActor() actor: Actor): Promise<ProviderView> {
    return this.providers.get(providerId, actor);
  }

  @Patch(':providerId')
  @Roles('admin', 'supervisor', 'coordinator', 'provider', 'mediator')
  @ApiOkResponse({ type: ProviderView })
  update(
    @Param('providerId') providerId: string,
    @Body() body: UpdateProviderDto,
    @CurrentActor() actor: Actor,
  ): Promise<ProviderView> {
    return this.providers.update(providerId, body, actor);
  }
}
