import { performance } from 'node:perf_hooks';
import {
  AppError,
  type ClientExplanationView,
  type ReadValueView,
  type SegmentPortraitView,
} from '@t2s/contracts';
import { quoteLiteral } from '@t2s/db';
import {
  ClientExplainer,
  CriteriaCompiler,
  PortraitBuilder,
  portraitOf,
  reportDateWriter,
  type ExplainPart,
  type PortraitCounts,
  type Language,
  type ReadValue,
  type SemanticModel,
} from '@t2s/semantic';
import { sqlIsFromPerson, type SegmentRecord } from '@t2s/service-store';
import type { SandboxContext, SandboxExecutor } from '@t2s/sql-sandbox';
import type { Caller } from './segment.service';

/** What the insights read a warehouse with: its semantic model and a sandbox bound to its catalog's guards. */
export interface InsightWarehouse {
  model: SemanticModel;
  sandbox: Pick<SandboxExecutor, 'execute'>;
}

export interface SegmentInsightsDeps {
  /** The segment if the caller may see it (`SegmentService.require`). */
  segment: (caller: Caller, id: string) => Promise<SegmentRecord>;
  /** Rejects (AppError) when the deployment cannot read the warehouse this way. */
  warehouse: (name: string) => Promise<InsightWarehouse>;
  /** How long the whole base's portrait is kept before it is counted again (default 10 min). */
  baseTtlMs?: number;
}

const DEFAULT_BASE_TTL_MS = 10 * 60_000;

/** The whole base's side of a warehouse's portrait, and when it was counted. */
interface KeptBase {
  counts: PortraitCounts;
  at: Date;
}

/**
 * Why a client is in a segment or out of it, and the segment's portrait against the whole base (the
 * base's side kept a while per warehouse): each one read-only query through the sandbox (guard, executor role, timeout, cost cap, audit), built from
 * the criteria's own SQL so that it agrees with the segment. Neither reads a personal-data column: the
 * compiled predicates refuse them, and the guard checks the query again.
 */
export class SegmentInsights {
  private readonly bases = new Map<
    string,
    { started: number; value: Promise<KeptBase>; refreshing: boolean }
  >();

  constructor(private readonly deps: SegmentInsightsDeps) {}

  async explain(
    caller: Caller,
    id: string,
    clientId: string,
    language: Language,
  ): Promise<ClientExplanationView> {
    const segment = await this.deps.segment(caller, id);
    const sql = requireSql(segment);
    const { model, sandbox } = await this.deps.warehouse(segment.options.warehouse);
    if (!clientIdFits(model, clientId)) throw noClient(clientId);
    const parts = criterionParts(segment);
    const started = performance.now();
    if (parts === null) {
      // A person's SQL (or a query without per-criterion parts) has no criteria to check: in or out only.
      const origin = sqlIsFromPerson(segment) ? 'person' : 'generated';
      const rows = await run(sandbox, about(segment, origin, 'ids'), memberSql(sql, clientId));
      return {
        segmentId: segment.id,
        clientId,
        member: rows.length > 0,
        sql: 'person',
        criteria: [],
        durationMs: Math.round(performance.now() - started),
      };
    }
    const query = new ClientExplainer(model, new CriteriaCompiler(model)).query(parts, clientId);
    const explained = query.read(await run(sandbox, about(segment, 'generated', 'counts'), query.sql));
    if (!explained.known) throw noClient(clientId);
    const texts = new Map((segment.criteria?.items ?? []).map((c) => [c.id, c.text]));
    return {
      segmentId: segment.id,
      clientId,
      member: explained.member,
      sql: 'generated',
      criteria: explained.criteria.map((c) => ({
        id: c.id,
        kind: c.kind,
        text: texts.get(c.id) ?? c.id,
        passed: c.passed,
        values: c.values.map((v) => valueView(v, language)),
      })),
      durationMs: Math.round(performance.now() - started),
    };
  }

  async portrait(caller: Caller, id: string, language: Language): Promise<SegmentPortraitView> {
    const segment = await this.deps.segment(caller, id);
    const sql = requireSql(segment);
    const warehouse = segment.options.warehouse;
    const { model, sandbox } = await this.deps.warehouse(warehouse);
    const started = performance.now();
    const builder = new PortraitBuilder(model, new CriteriaCompiler(model));
    // Counted under the generated policy whoever wrote the segment's SQL: a person's SQL the counting
    // guard refuses (a recursion) is answered as refused, never run under a looser policy.
    const side = async (segmentSql: string) => {
      const query = builder.counts(segmentSql);
      return query.read(await run(sandbox, about(segment, 'generated', 'counts'), query.sql));
    };
    // The execution stage counted the segment's side with its result; else it is counted now.
    const stored = storedCounts(segment.portrait);
    // As the execution stage counts it: with the report date written in.
    const countNow = async () => {
      const context = about(segment, 'generated', 'counts');
      const read = async (query: string) => (await run(sandbox, context, query).catch(() => []))[0] ?? null;
      return side((await reportDateWriter(model, read, [sql]))(sql));
    };
    const [own, base] = await Promise.all([stored ?? countNow(), this.base(warehouse)]);
    const portrait = portraitOf(own, base.counts);
    const share = (n: number, of: number) => (of === 0 ? 0 : n / of);
    return {
      segmentId: segment.id,
      segmentSize: portrait.segmentSize,
      baseSize: portrait.baseSize,
      baseAt: base.at.toISOString(),
      lines: portrait.lines.map((line) => ({
        key: line.key,
        label: line.label[language],
        kind: line.kind,
        buckets: line.buckets.map((b) => ({
          value: b.value,
          label: b.label[language],
          segment: b.segment,
          base: b.base,
          segmentShare: share(b.segment, portrait.segmentSize),
          baseShare: share(b.base, portrait.baseSize),
        })),
      })),
      durationMs: Math.round(performance.now() - started),
    };
  }

  /** Counts a warehouse's whole base now, so the first portrait viewed finds it (the gateway, at start). */
  async warm(warehouse: string): Promise<void> {
    await this.base(warehouse);
  }

  /**
   * The whole base's side of the portrait, kept per warehouse: it does not depend on the segment, and
   * counting 200,000 clients on every view would cost more than the segment itself. Once older than
   * `baseTtlMs` it is counted again in the background while views still get the kept one (`baseAt`
   * says when it was counted); only the very first view of a warehouse waits for it.
   */
  private base(warehouse: string): Promise<KeptBase> {
    const ttl = this.deps.baseTtlMs ?? DEFAULT_BASE_TTL_MS;
    const kept = this.bases.get(warehouse);
    if (kept) {
      if (Date.now() - kept.started >= ttl && !kept.refreshing) {
        kept.refreshing = true;
        this.countBase(warehouse).then(
          (value) =>
            this.bases.set(warehouse, {
              started: Date.now(),
              value: Promise.resolve(value),
              refreshing: false,
            }),
          () => (kept.refreshing = false),
        );
      }
      return kept.value;
    }
    const value = this.countBase(warehouse);
    this.bases.set(warehouse, { started: Date.now(), value, refreshing: false });
    value.catch(() => this.bases.delete(warehouse));
    return value;
  }

  private async countBase(warehouse: string): Promise<KeptBase> {
    const { model, sandbox } = await this.deps.warehouse(warehouse);
    const query = new PortraitBuilder(model, new CriteriaCompiler(model)).counts(null);
    const rows = await run(sandbox, { origin: 'generated', output: 'counts' }, query.sql);
    return { counts: query.read(rows), at: new Date() };
  }
}

/** A stored segment side, if it has the shape `PortraitBuilder.counts` reads. */
function storedCounts(value: unknown): PortraitCounts | null {
  if (typeof value !== 'object' || value === null) return null;
  const counts = value as Partial<PortraitCounts>;
  return typeof counts.size === 'number' && Array.isArray(counts.lines) ? (counts as PortraitCounts) : null;
}

function requireSql(segment: SegmentRecord): string {
  if (segment.sql === null) {
    throw new AppError('NOT_FOUND', 'The segment has no SQL yet; explain and portrait answer once it has');
  }
  return segment.sql;
}

function noClient(clientId: string): AppError {
  return new AppError('NOT_FOUND', `No client ${clientId} in the warehouse`);
}

/** The stored per-criterion SELECTs with their kinds and representations; null when they do not cover the criteria. */
function criterionParts(segment: SegmentRecord): ExplainPart[] | null {
  const stored = segment.criterionSql;
  const items = segment.criteria?.items ?? [];
  if (sqlIsFromPerson(segment) || !stored || stored.length === 0 || stored.length !== items.length)
    return null;
  const byId = new Map(items.map((c) => [c.id, c]));
  const parts = stored.flatMap((p) => {
    const item = byId.get(p.id);
    if (!item) return [];
    const spec = item.spec as { expr?: unknown } | undefined;
    return [{ id: p.id, kind: item.kind, sql: p.sql, ...(spec?.expr ? { expr: spec.expr } : {}) }];
  });
  return parts.length === stored.length ? parts : null;
}

/** The segment's query narrowed to one client: one id or none, under the policy of whoever wrote it. */
function memberSql(sql: string, clientId: string): string {
  return `select s.c from (\n${sql}\n) s(c) where s.c = ${quoteLiteral(clientId)}`;
}

/** A client id the entity's key column can hold: an integer key takes digits only (else the query fails). */
function clientIdFits(model: SemanticModel, clientId: string): boolean {
  const { table, id } = model.entity;
  const type = model.graph.table(table)?.columns.find((c) => c.name === id)?.type ?? '';
  return /int|numeric/i.test(type) ? /^-?\d{1,19}$/.test(clientId) : true;
}

/** One query's rows through the sandbox; its refusal or failure as the AppError of its code. */
async function run(
  sandbox: InsightWarehouse['sandbox'],
  context: SandboxContext,
  sql: string,
): Promise<string[]> {
  const rows: string[] = [];
  const result = await sandbox.execute(sql, { context, onIds: async (values) => void rows.push(...values) });
  if (!result.ok) throw new AppError(result.code, result.message);
  return rows;
}

/** The audit's context of a query about a segment. */
function about(
  segment: SegmentRecord,
  origin: NonNullable<SandboxContext['origin']>,
  output: NonNullable<SandboxContext['output']>,
): SandboxContext {
  return {
    segmentId: segment.id,
    revisionId: segment.currentRevisionId,
    apiKeyId: segment.apiKeyId,
    origin,
    output,
  };
}

const UNITS: Record<string, { ru: string; en: string }> = {
  rub: { ru: '₽', en: 'RUB' },
  czk: { ru: 'Kč', en: 'CZK' },
  eur: { ru: '€', en: 'EUR' },
  usd: { ru: '$', en: 'USD' },
  percent: { ru: '%', en: '%' },
  year: { ru: 'лет', en: 'years' },
  month: { ru: 'мес.', en: 'months' },
  day: { ru: 'дн.', en: 'days' },
};

/** "возраст 27 лет", "средние траты по картам в месяц 41 200 ₽"; "no data" for a client with none. */
function valueView(value: ReadValue, language: Language): ReadValueView {
  const label = value.label[language];
  const lead = label.charAt(0).toLowerCase() + label.slice(1);
  let shown: string;
  if (value.value === null) shown = language === 'ru' ? 'нет данных' : 'no data';
  else if (typeof value.value === 'number') {
    const number = value.value.toLocaleString(language === 'ru' ? 'ru-RU' : 'en-US', {
      maximumFractionDigits: 2,
    });
    const unit = value.unit ? UNITS[value.unit]?.[language] : undefined;
    shown = unit ? `${number} ${unit}` : number;
  } else shown = value.value;
  return {
    ...(value.attr ? { attr: value.attr } : {}),
    label,
    ...(value.unit ? { unit: value.unit } : {}),
    value: value.value,
    text: `${lead} ${shown}`,
  };
}
