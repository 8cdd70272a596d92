// HTTP for admins: register an Open311 client and receive its API key, once.
import { Roles } from '@linli/auth';
import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { CreateOpen311ClientDto, Open311ClientCreatedDto } from './dto/create-open311-client.dto';
import { Open311ClientsService, type Open311ClientCreated } from './open311-clients.service';

@ApiTags('open311')
@ApiBearerAuth()
@Controller('open311-clients')
export class Open311ClientsController {
  constructor(private readonly clients: Open311ClientsService) {}

  @Post()
  @Roles('admin')
  @HttpCode(HttpStatus.CREATED)
  @ApiCreatedResponse({ type: Open311ClientCreatedDto, description: 'The API key is shown this once' })
  create(@Body() body: CreateOpen311ClientDto): Promise<Open311ClientCreated> {
    return this.clients.create(body);
  }
}
