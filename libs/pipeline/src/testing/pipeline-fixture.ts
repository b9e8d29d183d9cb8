// Test support (not exported): a seeded demo warehouse with an executor role, a migrated service
// store and a sandbox over them, all in throw-away schemas of the test database.
import { Pool } from 'pg';
import { introspectCatalog, type Catalog } from '@t2s/catalog';
import { segmentRequestSchema, type SegmentRequestInput } from '@t2s/contracts';
import { createTestSchema, quoteIdent, type TestSchema } from '@t2s/db';
import { catalogGuards, loadSqlGuard } from '@t2s/sql-guard';
import { MemoryAuditSink, SandboxExecutor, type SandboxExecutorOptions } from '@t2s/sql-sandbox';
import { createRepositories, hashRequest, runMigrations } from '@t2s/service-store';
import { seedDemoWarehouse } from '@t2s/warehouse';
import { createTestExecutorRole } from '@t2s/warehouse/testing';
import type { StageDeps } from '../stages/stage-deps';
import type { PipelineStrategy } from '@t2s/strategy';

export const REPORT_DATE = '2026-10-31';

export async function openPipelineFixture(clients = 300) {
  const cleanups: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const warehouse: TestSchema = await createTestSchema('pipe_wh');
    cleanups.push(() => warehouse.drop());
    await seedDemoWarehouse({
      url: warehouse.url,
      schema: warehouse.schema,
      clients,
      seed: 7,
      reportDate: REPORT_DATE,
    });

    const executor = await createTestExecutorRole(warehouse.client, warehouse.schema, {
      prefix: 't2s_pipe',
      statementTimeout: '10s',
      tempFileLimit: '64MB',
    });
    cleanups.push(() => executor.drop());

    const catalog: Catalog = await introspectCatalog(warehouse.client, { schemas: [warehouse.schema] });
    await loadSqlGuard();
    /** The guard under each origin's policy, as the workers bind them. */
    const guards = catalogGuards(catalog);
    const audit = new MemoryAuditSink();
    /** A sandbox over the warehouse as the executor role; tests override limits or the URL. */
    const openSandbox = (overrides: Partial<SandboxExecutorOptions> = {}): SandboxExecutor => {
      const opened = new SandboxExecutor({
        warehouseUrl: executor.url,
        guard: (sql) => guards.generated(sql),
        statementTimeoutMs: 10_000,
        person: { guard: (sql) => guards.person(sql), statementTimeoutMs: 5_000 },
        counts: (sql) => guards.counts(sql),
        maxCost: 1e9,
        audit,
        poolSize: 2,
        ...overrides,
      });
      cleanups.push(() => opened.close());
      return opened;
    };
    const sandbox = openSandbox();

    const storeSchema: TestSchema = await createTestSchema('pipe_store');
    cleanups.push(() => storeSchema.drop());
    const pool = new Pool({ connectionString: storeSchema.url, max: 4 });
    cleanups.push(() => pool.end());
    await runMigrations(pool, { schema: storeSchema.schema });
    const store = createRepositories(pool, storeSchema.schema);
    const apiKeyId = (await store.apiKeys.create('pipeline-test')).record.id;

    const deps = (strategy: PipelineStrategy, overrides: Partial<StageDeps> = {}): StageDeps => ({
      segments: store.segments,
      members: store.members,
      strategy,
      catalogs: async () => catalog,
      sandbox,
      clock: () => new Date(),
      ...overrides,
    });

    /** A new segment of the fixture's API key, or of `owner` (another key's id). */
    const createSegment = async (input: Partial<SegmentRequestInput> = {}, owner = apiKeyId) => {
      const request = segmentRequestSchema.parse({
        offer: { product: { type: 'credit_card' }, title: 'Кредитная карта с кешбэком', channel: 'PUSH' },
        ...input,
      });
      const { segment } = await store.segments.createFromRequest({
        apiKeyId: owner,
        requestHash: hashRequest(request),
        request,
      });
      return { segmentId: segment.id, revisionId: segment.currentRevisionId };
    };

    /** Runs SQL as the admin over the warehouse schema: the hand-written reference. */
    const adminIds = async (sql: string): Promise<string[]> => {
      await warehouse.client.query(`set search_path = ${quoteIdent(warehouse.schema)}`);
      const { rows } = await warehouse.client.query<{ client_id: string }>(sql);
      return rows.map((row) => String(row.client_id)).sort();
    };

    return { catalog, audit, guards, store, apiKeyId, deps, openSandbox, createSegment, adminIds, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export type PipelineFixture = Awaited<ReturnType<typeof openPipelineFixture>>;
