// HTTP for jobs: the provider's board (offered, mine, accept, decline, start, complete) and the supervisors'
// views and commands (lists, escalations, re-offer, cancel). DTOs in, views out. A mediator (人民调解员) is a
// provider of mediation: role 'mediator' uses the provider's board, acting for the provider id in its token.
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  CancelJobDto,
  CompleteJobDto,
  DeclineJobDto,
  JobList,
  JobPage,
  JobView,
  ListJobsQuery,
  MineQuery,
  StartJobDto,
} from './dto/job.dto';
import { toJobView } from './job.view';
import { JobsService } from './jobs.service';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get('offered')
  @Roles('provider', 'mediator')
  @ApiOkResponse({ type: JobList, description: 'Open offers to the calling provider' })
  async offered(@CurrentActor() actor: Actor): Promise<JobList> {
    return { items: (await this.jobs.offeredTo(actor)).map((job) => toJobView(job, actor)) };
  }

  @Get('mine')
  @Roles('provider', 'mediator')
  @ApiOkResponse({ type: JobList, description: 'Jobs the calling provider holds (or completed)' })
  async mine(@Query() query: MineQuery, @CurrentActor() actor: Actor): Promise<JobList> {
    return { items: (await this.jobs.heldBy(actor, query.status)).map((job) => toJobView(job, actor)) };
  }

  @Get()
  @Roles('admin', 'supervisor', 'coordinator', 'operator')
  @ApiOkResponse({ type: JobPage })
  async list(@Query() query: ListJobsQuery, @CurrentActor() actor: Actor): Promise<JobPage> {
    const { page, pageSize, ...filter } = query;
    const result = await this.jobs.list(filter, actor, { page, pageSize });
    return { ...result, items: result.items.map((job) => toJobView(job, actor)) };
  }

  @Get(':jobId')
  @Roles('admin', 'supervisor', 'coordinator', 'operator', 'provider', 'mediator')
  @ApiOkResponse({ type: JobView })
  async get(@Param('jobId') jobId: string, @CurrentActor() actor: Actor): Promise<JobView> {
    return toJobView(await this.jobs.get(jobId, actor), actor);
  }

  @Post(':jobId/accept')
  @HttpCode(200)
  @Roles('provider', 'mediator')
  @ApiOkResponse({ type: JobView })
  async accept(@Param('jobId') jobId: string, @CurrentActor() actor: Actor): Promise<JobView> {
    return toJobView(await this.jobs.accept(jobId, actor), actor);
  }

  @Post(':jobId/decline')
  @HttpCode(200)
  @Roles('provider', 'mediator')
  @ApiOkResponse({ type: JobView })
  async decline(
    @Param('jobId') jobId: string,
    @Body() body: DeclineJobDto,
    @CurrentActor() actor: Actor,
  ): Promise<JobView> {
    return toJobView(await this.jobs.decline(jobId, actor, body), actor);
  }

  @Post(':jobId/start')
  @HttpCode(200)
  @Roles('provider', 'mediator')
  @ApiOkResponse({ type: JobView })
  async start(
    @Param('jobId') jobId: string,
    @Body() body: StartJobDto,
    @CurrentActor() actor: Actor,
  ): Promise<JobView> {
    return toJobView(await this.jobs.start(jobId, actor, body?.location), actor);
  }

  @Post(':jobId/complete')
  @HttpCode(200)
  @Roles('provider', 'mediator')
  @ApiOkResponse({ type: JobView })
  async complete(
    @Param('jobId') jobId: string,
    @Body() body: CompleteJobDto,
    @CurrentActor() actor: Actor,
  ): Promise<JobView> {
    return toJobView(await this.jobs.complete(jobId, actor, body), actor);
  }

  @Post(':jobId/reoffer')
  @HttpCode(200)
  @Roles('supervisor', 'coordinator')
  @ApiOkResponse({ type: JobView })
  async reoffer(@Param('jobId') jobId: string, @CurrentActor() actor: Actor): Promise<JobView> {
    return toJobView(await this.jobs.reoffer(jobId, actor), actor);
  }

  @Post(':jobId/cancel')
  @HttpCode(200)
  @Roles('supervisor', 'coordinator')
  @ApiOkResponse({ type: JobView })
  async cancel(
    @Param('jobId') jobId: string,
    @Body() body: CancelJobDto,
    @CurrentActor() actor: Actor,
  ): Promise<JobView> {
    return toJobView(await this.jobs.cancel(jobId, actor, body.reason), actor);
  }
}
