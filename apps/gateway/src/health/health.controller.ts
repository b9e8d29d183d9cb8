import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Health } from '@t2s/contracts';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { readinessHttpStatus } from './readiness';
import { ReadinessService } from './readiness.service';

@Public()
@Controller()
export class HealthController {
  constructor(@Inject(ReadinessService) private readonly readiness: ReadinessService) {}

  /** Liveness checks no dependency: a Redis outage must not make the orchestrator restart the gateway. */
  @Get('healthz')
  healthz(): Health {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(@Res() reply: FastifyReply): Promise<void> {
    const readiness = await this.readiness.check();
    await reply.status(readinessHttpStatus(readiness)).header('cache-control', 'no-store').send(readiness);
  }
}
