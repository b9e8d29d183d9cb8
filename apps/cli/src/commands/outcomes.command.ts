import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Client, Pool } from 'pg';
import { createCatalogCache } from '@t2s/catalog';
import { AppError, type ConversionReport, type GroupConversion, type OutcomeImport } from '@t2s/contracts';
import { openWarehouse, type DatabaseTarget } from '@t2s/db';
import { ConversionService, InsightWarehouses, type Caller } from '@t2s/segment-service';
import { findOutcomesSpec, parseModelSource } from '@t2s/semantic';
import { openServiceStore, type ServiceStore } from '@t2s/service-store';
import { action, progress, UsageError } from '../command-runner';
import { executorUrl, grantExecutor } from '../executor-grant';

interface OutcomesOptions {
  segment: string;
  file?: string;
  fromWarehouse?: boolean;
  model?: string;
  json?: boolean;
  executorRole: string;
}

export function registerOutcomesCommands(program: Command): void {
  const outcomes = program
    .command('outcomes')
    .summary("a segment's outcomes (who converted) and its conversion report");
  outcomes
    .command('import')
    .description(
      "Store who converted among a segment's clients, from a CSV (client_id,converted_at; every bad line is " +
        'reported with its number and nothing is stored) or, with --from-warehouse, from the table the ' +
        "semantic model's outcomes entry names (one sandboxed query as the executor role). Idempotent per " +
        'segment and client. Uses SERVICE_DATABASE_URL and WAREHOUSE_URL, else the embedded PostgreSQL.',
    )
    .requiredOption('--segment <id>', 'segment id')
    .option('--file <csv>', 'outcomes CSV: client_id,converted_at')
    .option(
      '--from-warehouse',
      "read the warehouse's outcomes entry (config/warehouses/<name>.annotations.json)",
    )
    .option('--model <name>', 'the annotations file naming the outcomes; default: the segment warehouse')
    .option('--json', 'print the import as JSON')
    .option('--executor-role <name>', 'read-only role that runs the SQL', 't2s_executor')
    .action(action(async (options: OutcomesOptions) => importOutcomes(options)));
  outcomes
    .command('report')
    .description(
      'Conversion of the segment: target and control group with Wilson 95% intervals, the lift, and the ' +
        "segments made for the same offer by origin. The control group's rate is the causal baseline; the " +
        'comparison by origin is historical.',
    )
    .requiredOption('--segment <id>', 'segment id')
    .option('--json', 'print the report as JSON')
    .action(action(async (options: OutcomesOptions) => printReport(options)));
}

/** The service as the CLI sees it: every segment (an admin's view), the warehouse opened only if needed. */
async function openConversion(options: OutcomesOptions) {
  const store = await openServiceStore({ onProgress: progress });
  const closers: (() => Promise<unknown>)[] = [() => store.close()];
  let warehouse: Promise<{ target: DatabaseTarget; insights: InsightWarehouses }> | undefined;
  const openWarehouseSide = async (schema: string) => {
    const target = await openWarehouse({ onProgress: progress });
    closers.push(() => target.close());
    const admin = new Client({ connectionString: target.url });
    await admin.connect();
    await grantExecutor(admin, options.executorRole, schema).finally(() => admin.end());
    const pool = new Pool({ connectionString: target.url, max: 1 });
    closers.push(() => pool.end());
    const insights = new InsightWarehouses({
      catalogs: createCatalogCache({ pool, schemas: [schema], onWarning: progress }),
      executorUrl: executorUrl(process.env, target.url, options.executorRole),
      audit: store.sqlAudit,
      statementTimeoutMs: 120_000,
      maxCost: 1e10,
      modelSource: parseModelSource(process.env['T2S_MODEL']),
      ...(options.model ? { modelName: options.model } : {}),
      onWarning: progress,
    });
    closers.push(() => insights.close());
    return { target, insights };
  };
  const service = new ConversionService({
    segments: { require: (_caller, id) => requireSegment(store, id) },
    records: store.segments,
    members: store.members,
    outcomes: store.outcomes,
    warehouse: async (name) => {
      warehouse ??= openWarehouseSide(name);
      return (await warehouse).insights.warehouse(name);
    },
    outcomesSpec: (name) => findOutcomesSpec(options.model ?? name),
  });
  const segment = await requireSegment(store, options.segment).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const caller: Caller = { id: segment.apiKeyId, admin: true };
  return {
    service,
    caller,
    close: async () => {
      for (const close of closers.reverse()) await close().catch(() => undefined);
    },
  };
}

async function requireSegment(store: ServiceStore, id: string) {
  const segment = await store.segments.findById(id);
  if (!segment) throw new UsageError(`no segment ${id} in the service database`);
  return segment;
}

async function importOutcomes(options: OutcomesOptions): Promise<void> {
  if (!options.file === !options.fromWarehouse) throw new UsageError('give --file CSV or --from-warehouse');
  const { service, caller, close } = await openConversion(options);
  try {
    const imported = options.file
      ? await service.importCsv(caller, options.segment, readFileSync(options.file, 'utf8'))
      : await service.importFromWarehouse(caller, options.segment);
    process.stdout.write(options.json ? `${JSON.stringify(imported, null, 2)}\n` : describeImport(imported));
  } catch (error) {
    throw explained(error);
  } finally {
    await close();
  }
}

async function printReport(options: OutcomesOptions): Promise<void> {
  const { service, caller, close } = await openConversion(options);
  try {
    const report = await service.report(caller, options.segment);
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : describeReport(report));
  } catch (error) {
    throw explained(error);
  } finally {
    await close();
  }
}

/** A refused CSV names its bad lines: print them all (the message has the first). */
function explained(error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  const lines = (error.details ?? []).map((d) => `  ${d.path.replace('line.', 'line ')}: ${d.reason}`);
  return new UsageError([`${error.code}: ${error.message}`, ...lines].join('\n'));
}

function describeImport(imported: OutcomeImport): string {
  return (
    `${imported.source}: ${imported.lines} lines read, ${imported.stored} stored, ` +
    `${imported.alreadyStored} already stored, ${imported.notMembers} not members of the visible result\n`
  );
}

const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(2)}%`);

function groupLine(name: string, g: GroupConversion): string {
  const interval = g.interval ? ` [${pct(g.interval.low)} – ${pct(g.interval.high)}]` : '';
  return `${name.padEnd(18)} ${String(g.size).padStart(8)} ${String(g.converted).padStart(9)}  ${pct(g.rate)}${interval}`;
}

export function describeReport(r: ConversionReport): string {
  const lines = [
    `segment ${r.segmentId}, revision ${r.revision}, control share ${r.controlShare === null ? 'none' : pct(r.controlShare)}`,
    `outcomes: ${r.outcomes.recorded} recorded in ${r.outcomes.imports} imports`,
    `${'group'.padEnd(18)} ${'size'.padStart(8)} ${'converted'.padStart(9)}  rate [Wilson 95%]`,
    groupLine('target', r.target),
  ];
  if (r.control) lines.push(groupLine('control', r.control));
  if (r.lift) {
    const d = r.lift.differenceInterval;
    lines.push(
      `lift: ${r.lift.ratio === null ? '— (control converted nobody)' : `${r.lift.ratio.toFixed(2)}x`}, ` +
        `difference ${(100 * r.lift.difference).toFixed(2)} points [${(100 * d.low).toFixed(2)}, ${(100 * d.high).toFixed(2)}]`,
    );
  }
  if (r.comparison) {
    lines.push(`segments for the same offer (${r.comparison.by} ${r.comparison.value}), target groups:`);
    for (const o of r.comparison.origins) {
      lines.push(groupLine(`${o.origin} (${o.segments})`, o));
    }
  }
  lines.push(
    "The control group's rate is the causal baseline (the same audience, held out by a hash); the comparison " +
      'with other segments for the same offer is historical, not causal.',
  );
  return `${lines.join('\n')}\n`;
}
