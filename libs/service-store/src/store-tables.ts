import { quoteIdent } from '@t2s/db';

/** Schema-qualified table names; the schema is configuration, so no query relies on search_path. */
export function storeTables(schema: string) {
  const q = (table: string) => `${quoteIdent(schema)}.${table}`;
  return {
    apiKey: q('api_key'),
    segment: q('segment'),
    revision: q('segment_revision'),
    stageRun: q('stage_run'),
    run: q('segment_run'),
    member: q('segment_member'),
    runDiff: q('segment_run_diff'),
    runChange: q('segment_run_change'),
    webhookEvent: q('webhook_event'),
    webhookDelivery: q('webhook_delivery'),
    webhookSecret: q('webhook_secret'),
    batch: q('batch'),
    batchItem: q('batch_item'),
    sqlAudit: q('sql_audit'),
    idempotency: q('idempotent_request'),
    approval: q('segment_approval'),
    outcome: q('segment_outcome'),
    outcomeImport: q('segment_outcome_import'),
  };
}

export type StoreTables = ReturnType<typeof storeTables>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id from a URL that is not a UUID names nothing; checking it first spares PostgreSQL's cast error. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
