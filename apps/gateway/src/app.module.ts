import { Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { requestTraceIds } from './http/request-span';
import { GatewayQueuesModule, type GatewayQueuesOptions } from './queues/gateway-queues.module';
import type { Logger as Pino } from '@t2s/telemetry';
import { ApiKeyGuard } from './auth/api-key.guard';
import { API_KEY_STORE, type ApiKeyVerifier } from './auth/api-key-store';
import { GATEWAY_CONFIG } from './config/gateway-config.token';
import type { GatewayConfig } from './config/gateway.config';
import { DocsController } from './docs/docs.controller';
import { DEPENDENCY_CHECKS } from './health/dependency-check';
import { HealthController } from './health/health.controller';
import { ReadinessService } from './health/readiness.service';
import { WORKER_PRESENCE } from './health/worker-presence';
import { GatewayConnections } from './infra/gateway-connections';
import { HttpMetrics } from './metrics/http-metrics';
import { MetricsController } from './metrics/metrics.controller';
import { WhoamiController } from './whoami/whoami.controller';
import { BatchesController } from './batches/batches.controller';
import { CatalogController } from './catalog/catalog.controller';
import { WarehousesController } from './catalog/warehouses.controller';
import { SqlCheckController } from './catalog/sql-check.controller';
import { GATEWAY_SERVICES, type GatewayServices } from './segments/gateway-services';
import { SegmentsController } from './segments/segments.controller';
import { SegmentDiffController } from './segments/segment-diff.controller';
import { SegmentInsightsController } from './segments/segment-insights.controller';
import { SegmentConversionController } from './segments/segment-conversion.controller';
import { WebhookSecretController } from './webhooks/webhook-secret.controller';

export interface AppModuleOptions {
  config: GatewayConfig;
  apiKeyStore: ApiKeyVerifier;
  connections: GatewayConnections;
  metrics: HttpMetrics;
  services: GatewayServices;
  /** Logs through pino (nestjs-pino): Nest's own lines and one line per request. */
  pino?: Pino;
  /** The queues, registered with @nestjs/bullmq; none without a service database (nothing to run). */
  queues?: GatewayQueuesOptions;
}

/** Probes and scrapes: every few seconds from every replica, nothing to read in them. */
const QUIET_PATHS = /^\/(healthz|readyz|metrics)(\?|$)/;

/** nestjs-pino over the process's logger; the request id is Fastify's (`genReqId`, x-request-id). */
function requestLogging(pino: Pino): DynamicModule {
  return LoggerModule.forRoot({
    // Every route (nestjs-pino's default path, `{/*splat}`, matches none under Nest 12 with Fastify).
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
    pinoHttp: {
      logger: pino,
      genReqId: (request: IncomingMessage) => (request as IncomingMessage & { id: string }).id,
      customAttributeKeys: { reqId: 'requestId' },
      customProps: (request: IncomingMessage) => requestTraceIds(request),
      quietReqLogger: true,
      autoLogging: { ignore: (request: IncomingMessage) => QUIET_PATHS.test(request.url ?? '') },
      // Method and path only: a query string or a header can carry what logs must not hold.
      serializers: {
        req: (request: { method?: string; url?: string }) => ({
          method: request.method,
          path: request.url?.split('?')[0],
        }),
        res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }),
      },
    },
  });
}

/**
 * Built from values, not from `process.env`: the caller (main.ts or a test) owns configuration and
 * which key store is used.
 */
@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...(options.pino ? [requestLogging(options.pino)] : []),
        ...(options.queues ? [GatewayQueuesModule.forRoot(options.queues)] : []),
      ],
      controllers: [
        HealthController,
        MetricsController,
        DocsController,
        WhoamiController,
        SegmentsController,
        SegmentDiffController,
        SegmentInsightsController,
        SegmentConversionController,
        BatchesController,
        CatalogController,
        WarehousesController,
        SqlCheckController,
        WebhookSecretController,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: options.config },
        { provide: API_KEY_STORE, useValue: options.apiKeyStore },
        // Value providers still get lifecycle hooks: Nest closes the connections on shutdown.
        { provide: GatewayConnections, useValue: options.connections },
        { provide: HttpMetrics, useValue: options.metrics },
        { provide: GATEWAY_SERVICES, useValue: options.services },
        {
          provide: DEPENDENCY_CHECKS,
          inject: [GatewayConnections],
          useFactory: (connections: GatewayConnections) => connections.dependencyChecks(),
        },
        {
          provide: WORKER_PRESENCE,
          inject: [GatewayConnections],
          useFactory: (connections: GatewayConnections) => connections.workerPresence(),
        },
        ReadinessService,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
      ],
    };
  }
}
