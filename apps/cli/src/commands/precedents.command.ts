import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Command } from 'commander';
import { Pool } from 'pg';
import type { z } from 'zod';
import { createBaselineStrategy } from '@t2s/baseline';
import { findAnnotationsFor, introspectCatalog, type Catalog } from '@t2s/catalog';
import type { Offer } from '@t2s/contracts';
import { openWarehouse } from '@t2s/db';
import { evalCaseSchema } from '@t2s/evaluation';
import { campaignOf, isMapped, precedentFileSchema, readCriteria } from '@t2s/precedents';
import { parseModelSource, type SemanticModel } from '@t2s/semantic';
import { openServiceStore, type PrecedentImport } from '@t2s/service-store';
import { checkSql, loadParser, loadSqlGuard, policyFromCatalog, type GuardPolicy } from '@t2s/sql-guard';
import { action, asUsageError, progress, UsageError } from '../command-runner';

interface ImportOptions {
  json?: string;
}

interface ListOptions {
  warehouse: string;
  json?: boolean;
}

/** One file of an import: what was stored from it, or why nothing was. */
export type FileOutcome =
  | {
      file: string;
      status: 'imported';
      warehouse: string;
      campaign: string;
      criteria: number;
      mapped: number;
      /** Another file of this import named the same campaign; the later one is what is stored. */
      replacedBy?: string;
    }
  | { file: string; status: 'refused'; reason: string };

export interface CoverageFigure {
  files: number;
  criteria: number;
  mapped: number;
  /** mapped / criteria: the share of criteria that came back as representation; null with none. */
  coverage: number | null;
}

export interface ImportReport {
  imported: number;
  refused: number;
  /** Over every imported file, then per warehouse. */
  coverage: CoverageFigure & { byWarehouse: Record<string, CoverageFigure> };
  elapsedMs: number;
  files: FileOutcome[];
}

/** A file read and checked, not yet stored. */
interface Candidate {
  file: string;
  item: PrecedentImport;
  mapped: number;
}

export function registerPrecedentsCommands(program: Command): void {
  const precedents = program
    .command('precedents')
    .summary("the bank's past campaigns (offer and SQL) that new offers are compared with");
  precedents
    .command('import')
    .description(
      'Import an archive of campaigns: every *.json under each DIR (recursively), each a precedent file ' +
        '({warehouse, campaign?, offer, sql, approvedAt?, approvedBy?}) or an evaluation case (its target SQL). ' +
        "Each SQL must pass the SQL guard over the warehouse's catalog as a person's SQL and read no personal " +
        "data; it is then read into criteria with the warehouse's semantic model. A malformed or refused file " +
        'is reported with its reason and not imported; the rest are. Importing a campaign again replaces it. ' +
        'Exits 1 when any file was refused. Uses SERVICE_DATABASE_URL and WAREHOUSE_URL, else the embedded PostgreSQL.',
    )
    .argument('<dir...>', 'directories of JSON files')
    .option('--json <file>', 'write the report as JSON to this file')
    .action(action(async (dirs: string[], options: ImportOptions) => importPrecedents(dirs, options)));
  precedents
    .command('list')
    .description(
      "The warehouse's precedents, newest first: origin, when, campaign, criteria read from the SQL.",
    )
    .requiredOption('--warehouse <name>', 'warehouse name (the segment option `warehouse`)')
    .option('--json', 'print them as JSON')
    .action(action(async (options: ListOptions) => listPrecedents(options)));
}

/** Every `*.json` under the directories, recursively, in name order; a missing directory is bad input. */
export function jsonFilesUnder(dirs: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.json')) files.push(path);
    }
  };
  for (const dir of dirs) {
    const stat = asUsageError(() => statSync(dir), 'precedents import');
    if (!stat.isDirectory()) throw new UsageError(`precedents import: ${dir} is not a directory`);
    walk(dir);
  }
  return [...new Set(files)];
}

/** A file's content as a precedent to check: a precedent file, else an evaluation case's target. */
export type ParsedFile =
  | {
      ok: true;
      warehouse: string;
      campaign: string;
      offer: Offer;
      sql: string;
      approvedAt?: string;
      approvedBy?: string;
    }
  | { ok: false; reason: string };

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(file)'}: ${i.message}`)
    .join('; ');
}

/** Reads one file's text: an evaluation case has a `target`, anything else must be a precedent file. */
export function parsePrecedentFile(text: string, file: string): ParsedFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
  const fallback = basename(file, '.json');
  if (typeof json === 'object' && json !== null && 'target' in json) {
    const parsed = evalCaseSchema.safeParse(json);
    if (!parsed.success) return { ok: false, reason: `not an evaluation case: ${issues(parsed.error)}` };
    const c = parsed.data;
    return {
      ok: true,
      warehouse: c.warehouse,
      campaign: campaignOf(c.offer, c.id),
      offer: c.offer,
      sql: c.target.sql,
    };
  }
  const parsed = precedentFileSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `not a precedent file: ${issues(parsed.error)}` };
  const p = parsed.data;
  return {
    ok: true,
    warehouse: p.warehouse,
    campaign: p.campaign ?? campaignOf(p.offer, fallback),
    offer: p.offer,
    sql: p.sql,
    ...(p.approvedAt !== undefined ? { approvedAt: p.approvedAt } : {}),
    ...(p.approvedBy !== undefined ? { approvedBy: p.approvedBy } : {}),
  };
}

/** What a warehouse's files are checked and read with; an error when the warehouse cannot give it. */
type WarehouseTools = { policy: GuardPolicy; model: SemanticModel } | { error: string };

/** Checks one parsed file against its warehouse and reads its SQL into criteria; a reason when refused. */
export function checkPrecedent(
  parsed: Extract<ParsedFile, { ok: true }>,
  tools: WarehouseTools,
): { item: PrecedentImport; mapped: number } | { reason: string } {
  if ('error' in tools) return { reason: tools.error };
  // A precedent is a person's SQL: the person policy, which refuses personal data and names the column.
  const verdict = checkSql(parsed.sql, tools.policy);
  if (!verdict.ok) return { reason: `${verdict.code}: ${verdict.reason}` };
  let read: ReturnType<typeof readCriteria>;
  try {
    read = readCriteria(parsed.sql, tools.model);
  } catch (error) {
    return { reason: `its SQL could not be read into criteria: ${(error as Error).message}` };
  }
  return {
    item: {
      warehouse: parsed.warehouse,
      campaign: parsed.campaign,
      offer: parsed.offer,
      sql: parsed.sql,
      criteria: read.criteria,
      coverage: read.coverage,
      ...(parsed.approvedAt !== undefined ? { approvedAt: parsed.approvedAt } : {}),
      ...(parsed.approvedBy !== undefined ? { approvedBy: parsed.approvedBy } : {}),
    },
    mapped: read.criteria.filter(isMapped).length,
  };
}

/**
 * The catalog, guard policy and semantic model of each warehouse the files name, read once each (the
 * catalog with the warehouse's annotations, as the workers read it; the model the baseline compiles with).
 */
async function warehouseTools(names: readonly string[]): Promise<{
  tools: Map<string, WarehouseTools>;
  close: () => Promise<void>;
}> {
  const tools = new Map<string, WarehouseTools>();
  if (names.length === 0) return { tools, close: async () => undefined };
  const target = await openWarehouse({ onProgress: progress });
  const pool = new Pool({ connectionString: target.url, max: Math.min(4, names.length) });
  pool.on('error', () => undefined);
  const close = async () => {
    await pool.end().catch(() => undefined);
    await target.close();
  };
  try {
    // The warehouse's annotations, as the workers read it; large tables' value lists (their codes, for
    // a marketer's words) are left out: neither the guard nor the SQL's reading needs them, and scanning
    // those tables was most of an import's time (seconds on the demo bank; the model is the same).
    const catalogs = async (schema: string) => {
      const client = await pool.connect();
      try {
        return await introspectCatalog(client, {
          schemas: [schema],
          annotations: findAnnotationsFor(schema),
          valueIndex: { largeTableMaxDistinct: 1 },
          onWarning: progress,
        });
      } finally {
        client.release();
      }
    };
    const baseline = createBaselineStrategy({ modelSource: parseModelSource(process.env['T2S_MODEL']) });
    progress(`reading the catalog of ${names.join(', ')} from ${target.label}`);
    await Promise.all(
      names.map(async (name) => {
        let catalog: Catalog;
        try {
          catalog = await catalogs(name);
        } catch (error) {
          tools.set(name, { error: `warehouse ${name}: ${(error as Error).message}` });
          return;
        }
        if (catalog.tables.length === 0) {
          tools.set(name, { error: `warehouse ${name} has no tables in ${target.label}` });
          return;
        }
        try {
          const model = baseline.modelFor(catalog);
          tools.set(name, { policy: policyFromCatalog(catalog, { origin: 'person' }), model });
        } catch (error) {
          tools.set(name, { error: `warehouse ${name} has no semantic model: ${(error as Error).message}` });
        }
      }),
    );
    return { tools, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function figure(outcomes: readonly Extract<FileOutcome, { status: 'imported' }>[]): CoverageFigure {
  const criteria = outcomes.reduce((n, o) => n + o.criteria, 0);
  const mapped = outcomes.reduce((n, o) => n + o.mapped, 0);
  return { files: outcomes.length, criteria, mapped, coverage: criteria === 0 ? null : mapped / criteria };
}

/** The report's summary: counts, then the share of criteria read back as representation. */
export function coverageOf(files: readonly FileOutcome[]): ImportReport['coverage'] {
  const imported = files.filter(
    (f): f is Extract<FileOutcome, { status: 'imported' }> => f.status === 'imported',
  );
  const warehouses = [...new Set(imported.map((f) => f.warehouse))].sort();
  return {
    ...figure(imported),
    byWarehouse: Object.fromEntries(
      warehouses.map((w) => [w, figure(imported.filter((f) => f.warehouse === w))]),
    ),
  };
}

async function importPrecedents(dirs: string[], options: ImportOptions): Promise<void> {
  const started = performance.now();
  const files = jsonFilesUnder(dirs);
  if (files.length === 0) throw new UsageError(`precedents import: no *.json file under ${dirs.join(', ')}`);
  const shown = (file: string) => relative(process.cwd(), file) || file;

  const parsed = files.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      return { file, parsed: { ok: false, reason: `unreadable: ${(error as Error).message}` } as ParsedFile };
    }
    return { file, parsed: parsePrecedentFile(text, file) };
  });
  const names = [...new Set(parsed.flatMap((p) => (p.parsed.ok ? [p.parsed.warehouse] : [])))].sort();
  await Promise.all([loadSqlGuard(), loadParser()]);
  const { tools, close: closeWarehouse } = await warehouseTools(names);
  const outcomes: FileOutcome[] = [];
  const candidates: Candidate[] = [];
  try {
    for (const { file, parsed: p } of parsed) {
      if (!p.ok) {
        outcomes.push({ file: shown(file), status: 'refused', reason: p.reason });
        continue;
      }
      const checked = checkPrecedent(p, tools.get(p.warehouse) ?? { error: `no warehouse ${p.warehouse}` });
      if ('reason' in checked)
        outcomes.push({ file: shown(file), status: 'refused', reason: checked.reason });
      else candidates.push({ file: shown(file), ...checked });
    }
  } finally {
    await closeWarehouse();
  }

  // The checked files in one transaction: a refused file was left out above, so nothing of it is written.
  const store = await openServiceStore({ onProgress: progress });
  try {
    await store.precedents.importMany(candidates.map((c) => c.item));
  } finally {
    await store.close();
  }
  const later = new Map<string, string>();
  for (const c of candidates) later.set(`${c.item.warehouse}\u0000${c.item.campaign}`, c.file);
  for (const c of candidates) {
    const last = later.get(`${c.item.warehouse}\u0000${c.item.campaign}`) as string;
    outcomes.push({
      file: c.file,
      status: 'imported',
      warehouse: c.item.warehouse,
      campaign: c.item.campaign,
      criteria: c.item.criteria.length,
      mapped: c.mapped,
      ...(last !== c.file ? { replacedBy: last } : {}),
    });
  }
  outcomes.sort((a, b) => a.file.localeCompare(b.file));

  for (const o of outcomes) {
    if (o.status === 'refused') progress(`refused ${o.file}: ${o.reason}`);
    else {
      const replaced = o.replacedBy ? ` (the same campaign as ${o.replacedBy}, which replaces it)` : '';
      progress(
        `imported ${o.file}: ${o.warehouse} ${o.campaign}, ${o.mapped} of ${o.criteria} criteria as representation${replaced}`,
      );
    }
  }
  const report: ImportReport = {
    imported: outcomes.filter((o) => o.status === 'imported').length,
    refused: outcomes.filter((o) => o.status === 'refused').length,
    coverage: coverageOf(outcomes),
    elapsedMs: Math.round(performance.now() - started),
    files: outcomes,
  };
  if (options.json) writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(describeImport(report));
  if (report.refused > 0) {
    throw new Error(`${report.refused} of ${outcomes.length} files refused (see the lines above)`);
  }
}

const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);

function coverageLine(name: string, f: CoverageFigure): string {
  return `${name}: ${f.files} files, ${f.mapped} of ${f.criteria} criteria as representation (${pct(f.coverage)})`;
}

export function describeImport(report: ImportReport): string {
  const lines = [
    `${report.imported} imported, ${report.refused} refused in ${(report.elapsedMs / 1000).toFixed(2)} s`,
    `SQL-to-criteria coverage, ${coverageLine('all', report.coverage)}`,
    ...Object.entries(report.coverage.byWarehouse).map(([w, f]) => `  ${coverageLine(w, f)}`),
  ];
  return `${lines.join('\n')}\n`;
}

async function listPrecedents(options: ListOptions): Promise<void> {
  const store = await openServiceStore({ onProgress: progress });
  try {
    const precedents = await store.precedents.list(options.warehouse);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(precedents, null, 2)}\n`);
      return;
    }
    for (const p of precedents) {
      const when = (p.approvedAt ?? p.createdAt.toISOString()).slice(0, 10);
      const read =
        p.criteria === null
          ? 'not read yet'
          : `${p.criteria.filter((c) => 'expr' in c).length} of ${p.criteria.length} criteria as representation`;
      const by = p.approvedBy ? ` by ${p.approvedBy}` : '';
      process.stdout.write(`${when}  ${p.origin.padEnd(8)}  ${p.campaign}${by}: ${read}\n`);
    }
    progress(`${precedents.length} precedents on ${options.warehouse}`);
  } finally {
    await store.close();
  }
}
