import type { CatalogLookup } from '@t2s/catalog';
import type {
  BatchService,
  ModelLookup,
  RunDiffService,
  SegmentInsights,
  SegmentService,
} from '@t2s/segment-service';
import type { WebhookSecretVault } from '@t2s/webhooks';
import type { ConversionService } from '@t2s/segment-service';
import type { SegmentViewCache } from './segment-view-cache';

/** The use cases the gateway serves over HTTP; built by main.ts from the store, the queues and the warehouse. */
export interface GatewayServices {
  segments: SegmentService;
  /** `GET /v1/segments/{id}`'s body, kept serialized for finished segments, with its ETag. */
  segmentViews: Pick<SegmentViewCache, 'read'>;
  batches: BatchService;
  /** What changed between a segment's results (`/v1/segments/{id}/diff`). */
  diffs: RunDiffService;
  /** Why a client is in or out, and the segment's portrait (needs WAREHOUSE_EXECUTOR_URL). */
  insights: Pick<SegmentInsights, 'explain' | 'portrait'>;
  /** Outcomes in, the conversion report out; the members CSV's groups (warehouse outcomes need WAREHOUSE_EXECUTOR_URL). */
  conversion: Pick<ConversionService, 'importCsv' | 'importFromWarehouse' | 'report' | 'groups'>;
  catalogs: CatalogLookup;
  /** Their semantic models: criteria as structure are checked against them; the attributes route lists them. */
  models: ModelLookup;
  /** The warehouse names `catalogs` serves; empty without a warehouse. */
  warehouses: readonly string[];
  /** Each API key's webhook signing secrets (rotation); needs WEBHOOK_SECRET. */
  webhookSecrets: Pick<WebhookSecretVault, 'rotate'>;
}

/** DI token of `GatewayServices` (an interface has no runtime class to inject by). */
export const GATEWAY_SERVICES = Symbol('GATEWAY_SERVICES');

/**
 * For a gateway without a service database (it then refuses every key, so these are never reached) and
 * for tests of the HTTP shell: any call is an internal error naming the missing configuration.
 */
export function unconfiguredServices(): GatewayServices {
  const fail = (): never => {
    throw new Error('The gateway has no service database (SERVICE_DATABASE_URL is not set)');
  };
  const proxy = <T extends object>() => new Proxy({} as T, { get: () => fail });
  return {
    segments: proxy<SegmentService>(),
    segmentViews: proxy<SegmentViewCache>(),
    batches: proxy<BatchService>(),
    diffs: proxy<RunDiffService>(),
    insights: proxy<SegmentInsights>(),
    conversion: proxy<ConversionService>(),
    catalogs: () => Promise.reject(new Error('The gateway has no warehouse (WAREHOUSE_URL is not set)')),
    models: {
      model: () => Promise.reject(new Error('The gateway has no warehouse (WAREHOUSE_URL is not set)')),
    },
    warehouses: [],
    webhookSecrets: proxy<WebhookSecretVault>(),
  };
}
