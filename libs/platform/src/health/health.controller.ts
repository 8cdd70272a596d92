// Kubernetes probes: liveness says the process answers (restart it if not); readiness says its dependencies
// answer (send it traffic only if so).
import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PLATFORM_CONFIG, type CommonConfig } from '../config/config';
import { PublicRoute } from '../http/public-route';
import { ReadinessRegistry } from './readiness.registry';
import { runReadinessChecks, type ReadinessReport } from './readiness';

@ApiTags('health')
@PublicRoute()
@Controller('health')
export class HealthController {
  constructor(
    private readonly readiness: ReadinessRegistry,
    @Inject(PLATFORM_CONFIG) private readonly config: CommonConfig,
  ) {}

  /** No dependency is checked here: a Kafka outage must not make Kubernetes restart every replica. */
  @Get('live')
  live(): { status: 'alive' } {
    return { status: 'alive' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessReport> {
    const report = await runReadinessChecks(this.readiness.list(), this.config.READINESS_CHECK_TIMEOUT_MS);
    reply.status(report.status === 'ready' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    reply.header('Cache-Control', 'no-store');
    return report;
  }
}
