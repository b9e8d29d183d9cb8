// The public API of @t2s/segment-service: the segment use cases behind the HTTP API (create, read,
// members, revisions, re-runs, batches, catalog), free of HTTP so the gateway, the CLI and tests share them.

export { SegmentService, type Caller, type RunStarter, type SegmentServiceDeps } from './segment.service';
export { BatchService, type BatchServiceDeps } from './batch.service';
export { RunDiffService, type RunDiffServiceDeps } from './run-diff.service';
export { describeWarehouse, toCatalogResponse } from './catalog-view';
export { membersCsv } from './members-csv';
export { checkSegmentSql } from './sql-check';
export { SegmentInsights, type InsightWarehouse, type SegmentInsightsDeps } from './segment-insights';
export { WarehouseModels, semanticModelOf, type ModelOptions } from './warehouse-models';
export { checkCriteriaSpecOn, warehouseAttributes, type ModelLookup } from './criteria-spec';
export { InsightWarehouses, noInsightWarehouses, type InsightWarehousesOptions } from './insight-warehouses';
export { ConversionService, type ConversionServiceDeps } from './conversion.service';
export { parseOutcomesCsv, type OutcomeLineError, type ParsedOutcomes } from './outcomes-csv';
export { segmentOrigin } from './segment-origin';
export { PrecedentSource, type PrecedentSourceDeps } from './precedent-source';
export { wilsonInterval, differenceInterval, type Interval } from './wilson';
