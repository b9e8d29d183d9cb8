import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toHttpError } from './http-error-mapping';

/**
 * Every error a request can meet (handler, guard, Fastify body parsing, unknown route) leaves as the
 * contract's `ApiError`. Nest routes Fastify's error and not-found handlers through global filters, so
 * this one filter covers them all.
 */
@Catch()
export class AppErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const path = request.url.split('?', 1)[0] ?? '';
    const result = toHttpError(exception, request.id, `${request.method} ${path}`);
    if (result.internal !== undefined) {
      const real = result.internal;
      this.logger.error(
        `${request.method} ${path} failed [request ${request.id}]: ${real instanceof Error ? real.message : String(real)}`,
        real instanceof Error ? real.stack : undefined,
      );
    }
    if (reply.sent) return;
    void reply.status(result.status).headers(result.headers).send(result.body);
  }
}
