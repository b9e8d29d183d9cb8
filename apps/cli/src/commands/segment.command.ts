import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { Client, Pool } from 'pg';
import { createBaselineStrategy, findOfferRules, readReferences } from '@t2s/baseline';
import { createCatalogCache } from '@t2s/catalog';
import { isExecutedStatus, offerSchema, segmentRequestSchema, type SegmentRequest } from '@t2s/contracts';
import { openWarehouse } from '@t2s/db';
import { runSegmentInProcess } from '@t2s/pipeline';
import { parseModelSource } from '@t2s/semantic';
import { hashRequest, openServiceStore, toApiView } from '@t2s/service-store';
import { catalogGuards, loadSqlGuard } from '@t2s/sql-guard';
import { SandboxExecutor } from '@t2s/sql-sandbox';
import { action, plainName, progress, UsageError } from '../command-runner';
import { understandingLines } from '../service/offer-client';
import { executorUrl, grantExecutor } from '../executor-grant';

interface SegmentOptions {
  offer?: string;
  criteria?: string;
  schema: string;
  model?: string;
  strategy: string;
  json?: boolean;
  ids?: string;
  controlShare?: string;
  executorRole: string;
}

export function registerSegmentCommand(program: Command): void {
  program
    .command('segment')
    .summary('build one segment in this process, as the workers do')
    .description(
      'Run one segment through the pipeline stages in this process (the library code the workers run): ' +
        "criteria from --offer (a JSON offer) or --criteria (a marketer's text), schema linking, SQL, " +
        'sandboxed execution. Prints the status, the criteria, what of the text was not understood, the SQL ' +
        'and the size (--json: the segment as the API shows it); --ids FILE writes the member ids, one per ' +
        'line. A run that executed but left part of the text unparsed ends needs_review (exit 0, the ' +
        'fragments printed); a failed run exits 1. Uses WAREHOUSE_URL and SERVICE_DATABASE_URL, else the ' +
        'embedded PostgreSQL.',
    )
    .option('--offer <file>', "offer JSON file (Co-marketer's format)")
    .option('--criteria <text>', 'criteria text (Russian or English); with --offer, the offer is context')
    .option('--schema <name>', 'warehouse schema', 'bank')
    .option(
      '--model <name>',
      'semantic model (config/warehouses/<name>.annotations.json); default: the schema',
    )
    .option(
      '--strategy <name>',
      "baseline only here; the LLM strategy runs in the workers (a request's options.strategy " +
        '"llm") and in t2s eval --strategy llm',
      'baseline',
    )
    .option('--json', 'print the segment as JSON (the API view)')
    .option('--ids <file>', 'write the member ids to this file, one per line')
    .option('--control-share <x>', 'hold out this share of the members as a control group (0 < x ≤ 0.5)')
    .option('--executor-role <name>', 'read-only role that runs the SQL', 't2s_executor')
    .action(action(async (options: SegmentOptions) => runSegment(options)));
}

function requestFrom(options: SegmentOptions, schema: string): SegmentRequest {
  if (!options.offer && !options.criteria) throw new UsageError('give --offer FILE or --criteria TEXT');
  const offer = options.offer
    ? offerSchema.parse(JSON.parse(readFileSync(options.offer, 'utf8')) as unknown)
    : { product: { type: 'unspecified' }, title: 'Segment from criteria text', channel: 'PUSH' as const };
  const parsed = segmentRequestSchema.safeParse({
    offer,
    ...(options.criteria ? { criteria: options.criteria } : {}),
    options: {
      warehouse: schema,
      ...(options.controlShare === undefined ? {} : { controlShare: Number(options.controlShare) }),
    },
  });
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

async function runSegment(options: SegmentOptions): Promise<void> {
  if (options.strategy !== 'baseline') {
    throw new UsageError(
      't2s segment runs the baseline only: the LLM strategy runs in the workers (options.strategy "llm") ' +
        'and in t2s eval --strategy llm',
    );
  }
  const schema = plainName('--schema', options.schema);
  const request = requestFrom(options, schema);
  const warehouse = await openWarehouse({ onProgress: progress });
  const closers: (() => Promise<unknown>)[] = [() => warehouse.close()];
  try {
    const admin = new Client({ connectionString: warehouse.url });
    await admin.connect();
    await grantExecutor(admin, options.executorRole, schema).finally(() => admin.end());
    const store = await openServiceStore({ onProgress: progress });
    closers.push(() => store.close());
    const pool = new Pool({ connectionString: warehouse.url, max: 1 });
    closers.push(() => pool.end());
    const catalogs = createCatalogCache({ pool, schemas: [schema], onWarning: progress });
    const catalog = await catalogs(schema);
    await loadSqlGuard();
    const guards = catalogGuards(catalog);
    const sandbox = new SandboxExecutor({
      warehouseUrl: executorUrl(process.env, warehouse.url, options.executorRole),
      guard: guards.generated,
      counts: guards.counts,
      statementTimeoutMs: 120_000,
      maxCost: 1e10,
      audit: store.sqlAudit,
      poolSize: 2,
    });
    closers.push(() => sandbox.close());
    const references = await readReferences(
      (sql) => pool.query(sql),
      catalog,
      findOfferRules(options.model ?? schema),
    );

    const { record } = await store.apiKeys.create(`cli-segment-${new Date().toISOString()}`);
    closers.push(() => store.apiKeys.revoke(record.id));
    const { segment: created } = await store.segments.createFromRequest({
      apiKeyId: record.id,
      requestHash: hashRequest(request),
      request,
    });
    const started = performance.now();
    const segment = await runSegmentInProcess(
      { segmentId: created.id, revisionId: created.currentRevisionId },
      {
        segments: store.segments,
        members: store.members,
        strategy: createBaselineStrategy({
          ...(options.model ? { modelName: options.model } : {}),
          modelSource: parseModelSource(process.env['T2S_MODEL']),
          references: () => references,
        }),
        catalogs,
        sandbox,
        clock: () => new Date(),
      },
    );
    if (!segment) throw new Error(`segment ${created.id} vanished`);
    const view = toApiView(segment);
    progress(`segment ${view.id} ${view.status} in ${Math.round(performance.now() - started)} ms`);
    if (options.json) process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
    else process.stdout.write(describe(view));
    if (options.ids && isExecutedStatus(view.status)) {
      const out = createWriteStream(options.ids);
      for await (const batch of store.members.stream(view.id)) {
        if (!out.write(`${batch.join('\n')}\n`)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
      progress(`${view.result?.size ?? 0} ids written to ${options.ids}`);
    }
    if (!isExecutedStatus(view.status)) process.exitCode = 1;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

function describe(view: ReturnType<typeof toApiView>): string {
  const lines = [`status: ${view.status}`, 'criteria:'];
  for (const c of view.criteria?.items ?? []) lines.push(`  ${c.kind === 'exclude' ? '-' : '+'} ${c.text}`);
  lines.push(...understandingLines(view.understanding));
  if (view.sql) lines.push('sql:', ...view.sql.split('\n').map((l) => `  ${l}`));
  if (view.result) lines.push(`size: ${view.result.size}`);
  if (view.error)
    lines.push(`error: ${view.error.code} at ${view.error.stage ?? '?'}: ${view.error.message}`);
  return `${lines.join('\n')}\n`;
}
