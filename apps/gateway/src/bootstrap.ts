import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import type { LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import type { Logger as Pino } from '@t2s/telemetry';
import { AppModule } from './app.module';
import type { ApiKeyVerifier } from './auth/api-key-store';
import type { GatewayConfig } from './config/gateway.config';
import { AppErrorFilter } from './errors/app-error.filter';
import { refuseUnreadableRequests, transportErrorOptions } from './errors/transport-errors';
import { pickRequestId, REQUEST_ID_HEADER } from './http/request-id';
import { installRequestSpans, RequestSpanInterceptor } from './http/request-span';
import { GatewayConnections } from './infra/gateway-connections';
import { HttpMetrics } from './metrics/http-metrics';
import type { GatewayServices } from './segments/gateway-services';
import type { Registry } from 'prom-client';
import { mountQueueBoard } from './admin/queue-board';
import type { GatewayQueuesOptions } from './queues/gateway-queues.module';
import { mountConsole } from './console/console-static';

export interface GatewayDeps {
  config: GatewayConfig;
  apiKeyStore: ApiKeyVerifier;
  /** The segment use cases; `unconfiguredServices()` when the gateway has no service database. */
  services: GatewayServices;
  /** Nest's logger option: `false` or a few levels in tests; ignored when `pino` is given. */
  logger?: LoggerService | LogLevel[] | false;
  /**
   * The process's JSON logger (`createLogger` of @t2s/telemetry): Nest logs through it (nestjs-pino),
   * and each request gets one line with its `requestId`, method, route, status and time.
   */
  pino?: Pino;
  /** The queues, registered with @nestjs/bullmq (GatewayQueuesModule); their `all` is bull-board's. */
  queues?: GatewayQueuesOptions;
  /** Adds the service-wide metrics (queues, Redis) to the gateway's registry. */
  registerMetrics?: (registry: Registry) => void;
  /** Closes what the caller opened for the app (the key store's pool); runs on `app.close()` / SIGTERM. */
  onShutdown?: () => Promise<void>;
}

/**
 * The gateway, initialised but not listening: `main.ts` listens on the configured port, tests use
 * `app.inject()` or listen on port 0. `app.close()` closes Redis and the pools.
 */
export async function createGatewayApp(deps: GatewayDeps): Promise<NestFastifyApplication> {
  const { config } = deps;
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // Our own id logic (validate the caller's, else a UUID) instead of Fastify's counter.
    requestIdHeader: false,
    genReqId: (request: IncomingMessage) => pickRequestId(request.headers[REQUEST_ID_HEADER]),
    // Behind a load balancer the client address is in X-Forwarded-For; nothing here trusts it yet.
    trustProxy: false,
    ...transportErrorOptions,
  });
  const fastify = adapter.getInstance();
  // Outcomes arrive as CSV (POST /v1/segments/{id}/outcomes): read whole as text, under the same body limit.
  fastify.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  fastify.decorateRequest('apiKey', null);
  // onRequest runs before body parsing and routing, so 404s, 413s and parse errors carry the id too.
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
  refuseUnreadableRequests(fastify);
  installRequestSpans(fastify);
  const metrics = new HttpMetrics();
  metrics.install(fastify);
  deps.registerMetrics?.(metrics.registry);

  const connections = new GatewayConnections(config, deps.onShutdown);
  try {
    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot({
        config,
        apiKeyStore: deps.apiKeyStore,
        connections,
        metrics,
        services: deps.services,
        ...(deps.pino ? { pino: deps.pino } : {}),
        ...(deps.queues ? { queues: deps.queues } : {}),
      }),
      adapter,
      // abortOnError: false makes a wiring error reject here instead of calling process.exit.
      deps.pino
        ? { bufferLogs: true, abortOnError: false }
        : { logger: deps.logger ?? ['log', 'warn', 'error'], abortOnError: false },
    );
    if (deps.pino) app.useLogger(app.get(PinoNestLogger));
    app.useGlobalFilters(new AppErrorFilter());
    app.useGlobalInterceptors(new RequestSpanInterceptor());
    // bull-board at /admin/queues (admin key only), over the queues Nest has made by now.
    const boardQueues = deps.queues?.queues.all ?? [];
    if (boardQueues.length > 0) await mountQueueBoard(app, boardQueues, deps.apiKeyStore);
    await mountConsole(app);
    await app.init();
    return app;
  } catch (error) {
    await connections.onApplicationShutdown();
    throw error;
  }
}
