import { Pool } from 'pg';
import { PgApiKeyStore } from './api-key.repository';
import { ApprovalRepository } from './approval.repository';
import { SegmentListRepository } from './segment-list';
import { BatchRepository } from './batch.repository';
import { IdempotencyRepository } from './idempotency.repository';
import { MemberStore } from './member.store';
import { RunDiffStore } from './run-diff.store';
import { OutcomeStore } from './outcome.store';
import { PrecedentStore } from './precedent.store';
import { runMigrations } from './migrate';
import { SegmentRepository } from './segment.repository';
import { PgAuditSink } from './sql-audit.repository';
import { loadStoreConfig, openServiceDatabase, type StoreConfig } from './store-config';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookSecretRepository } from './webhook-secret.repository';

/** Every repository over one pool; what an app wires into its container. */
export interface ServiceStore {
  pool: Pool;
  schema: string;
  /** Where the database is, without the password, for logs. */
  label: string;
  apiKeys: PgApiKeyStore;
  segments: SegmentRepository;
  members: MemberStore;
  /** What changed between a segment's results (entered, left, stayed), written by `members.completeRun`. */
  diffs: RunDiffStore;
  /** Who converted among a segment's clients (CSV or warehouse imports), and the report's counts. */
  outcomes: OutcomeStore;
  /** The bank's past campaigns (approvals and imported archives), their SQL read into criteria. */
  precedents: PrecedentStore;
  batches: BatchRepository;
  webhooks: WebhookDeliveryRepository;
  /** Per-API-key webhook signing secrets, sealed; @t2s/webhooks seals and opens them. */
  webhookSecrets: WebhookSecretRepository;
  idempotency: IdempotencyRepository;
  approvals: ApprovalRepository;
  segmentList: SegmentListRepository;
  /** The SQL audit trail (`sql_audit`); what an app passes to the sandbox as its `AuditSink`. */
  sqlAudit: PgAuditSink;
  /** Closes the pool, then the embedded server if this process started it. */
  close(): Promise<void>;
}

export function createRepositories(pool: Pool, schema: string) {
  return {
    apiKeys: new PgApiKeyStore(pool, schema),
    segments: new SegmentRepository(pool, schema),
    members: new MemberStore(pool, schema),
    diffs: new RunDiffStore(pool, schema),
    outcomes: new OutcomeStore(pool, schema),
    precedents: new PrecedentStore(pool, schema),
    batches: new BatchRepository(pool, schema),
    webhooks: new WebhookDeliveryRepository(pool, schema),
    webhookSecrets: new WebhookSecretRepository(pool, schema),
    idempotency: new IdempotencyRepository(pool, schema),
    approvals: new ApprovalRepository(pool, schema),
    segmentList: new SegmentListRepository(pool, schema),
    sqlAudit: new PgAuditSink(pool, schema),
  };
}

/**
 * Opens the service database from the environment and, unless `migrate: false`, brings its schema up
 * to date first (safe when several processes start at once).
 */
export async function openServiceStore(
  options: {
    config?: StoreConfig;
    env?: NodeJS.ProcessEnv;
    migrate?: boolean;
    onProgress?: (message: string) => void;
  } = {},
): Promise<ServiceStore> {
  const config = options.config ?? loadStoreConfig(options.env);
  const target = await openServiceDatabase(config, { env: options.env, onProgress: options.onProgress });
  const pool = new Pool({ connectionString: target.url, max: config.poolMax });
  // An idle client's error (the server restarted) would otherwise crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    if (options.migrate !== false) {
      await runMigrations(pool, { schema: config.schema, onProgress: options.onProgress });
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    await target.close();
    throw error;
  }
  return {
    pool,
    schema: config.schema,
    label: target.label,
    ...createRepositories(pool, config.schema),
    close: async () => {
      await pool.end();
      await target.close();
    },
  };
}
