import { findAnnotationsFor, introspectCatalog, type Catalog } from '@t2s/catalog';
import { AppError } from '@t2s/contracts';
import { createTestSchema, type TestSchema } from '@t2s/db';
import {
  CriteriaCompiler,
  PortraitBuilder,
  SemanticModel,
  warehouseSemanticModel,
  type CriterionSpec,
  type Expr,
} from '@t2s/semantic';
import type { SegmentRecord } from '@t2s/service-store';
import { catalogGuards, loadSqlGuard } from '@t2s/sql-guard';
import { MemoryAuditSink, SandboxExecutor } from '@t2s/sql-sandbox';
import { seedDemoWarehouse } from '@t2s/warehouse';
import { createTestExecutorRole, type TestExecutorRole } from '@t2s/warehouse/testing';
import { SegmentInsights } from './segment-insights';

const caller = { id: 'key-1' };

const CRITERIA: CriterionSpec[] = [
  {
    id: 'age',
    kind: 'include',
    expr: { type: 'attr', attr: 'age', cmp: { op: 'between', min: 25, max: 55 } },
  },
  { id: 'debit', kind: 'include', expr: { type: 'attr', attr: 'has_debit_card' } },
  {
    id: 'spend',
    kind: 'include',
    expr: {
      type: 'attr',
      attr: 'avg_monthly_card_spend',
      cmp: { op: 'gte', value: 1_000 },
      window: { n: 3, unit: 'month' },
    },
  },
  { id: 'loan', kind: 'exclude', expr: { type: 'attr', attr: 'has_active_loan' } },
];

describe('SegmentInsights (real PostgreSQL, the demo warehouse)', () => {
  let warehouse: TestSchema;
  let executor: TestExecutorRole;
  let catalog: Catalog;
  let model: SemanticModel;
  let sandbox: SandboxExecutor;
  let compiler: CriteriaCompiler;
  let audit: MemoryAuditSink;
  let members: Set<string>;
  let base: string[];
  let segment: SegmentRecord;

  const insights = () =>
    new SegmentInsights({
      segment: async (who, id) => {
        if (who.id !== caller.id || id !== segment.id) throw new AppError('NOT_FOUND', `No segment ${id}`);
        return segment;
      },
      warehouse: async () => ({ model, sandbox }),
    });

  beforeAll(async () => {
    warehouse = await createTestSchema('insights_wh');
    await seedDemoWarehouse({
      url: warehouse.url,
      schema: warehouse.schema,
      clients: 300,
      seed: 11,
      reportDate: '2026-10-31',
    });
    executor = await createTestExecutorRole(warehouse.client, warehouse.schema, {
      prefix: 't2s_ins',
      statementTimeout: '10s',
      tempFileLimit: '64MB',
    });
    // The bank's own marks: its birth date is personal data that may filter only.
    catalog = await introspectCatalog(warehouse.client, {
      schemas: [warehouse.schema],
      annotations: findAnnotationsFor('bank'),
    });
    model = new SemanticModel(
      warehouseSemanticModel('bank', catalog, warehouse.schema)!,
      catalog,
      warehouse.schema,
    );
    compiler = new CriteriaCompiler(model);
    await loadSqlGuard();
    const guards = catalogGuards(catalog);
    audit = new MemoryAuditSink();
    sandbox = new SandboxExecutor({
      warehouseUrl: executor.url,
      guard: guards.generated,
      person: { guard: guards.person, statementTimeoutMs: 10_000 },
      counts: guards.counts,
      statementTimeoutMs: 10_000,
      maxCost: 1e9,
      audit,
      poolSize: 2,
      noJit: true,
      // The schema's drop at the end ends idle connections.
      onWarning: () => undefined,
    });
    const sql = compiler.segment(CRITERIA);
    segment = record(
      sql,
      CRITERIA.map((c) => ({ id: c.id, sql: compiler.expr(c.expr) })),
    );
    members = new Set();
    const result = await sandbox.execute(sql, {
      context: {},
      onIds: async (ids) => void ids.forEach((id) => members.add(id)),
    });
    expect(result.ok).toBe(true);
    const { rows } = await warehouse.client.query<{ id: string }>(
      `select client_id::text as id from ${warehouse.schema}.client`,
    );
    base = rows.map((r) => r.id);
  }, 120_000);

  afterAll(async () => {
    await sandbox?.close();
    await executor?.drop();
    await warehouse?.drop();
  });

  function record(
    sql: string,
    criterionSql: { id: string; sql: string }[] | null,
    kind = 'initial',
  ): SegmentRecord {
    return {
      id: 'seg-1',
      apiKeyId: caller.id,
      options: { warehouse: 'bank' },
      currentRevisionId: 'r1',
      revisions: [{ id: 'r1', number: 1, kind }],
      criteria: {
        text: 'age 25 to 55, a debit card, spends 1000 a month, no loan',
        items: CRITERIA.map((c) => ({
          id: c.id,
          kind: c.kind,
          text: `criterion ${c.id}`,
          spec: { expr: c.expr },
        })),
      },
      criterionSql,
      sql,
    } as unknown as SegmentRecord;
  }

  it('agrees with the segment on every client: in exactly when every inclusion passes and no exclusion does', async () => {
    expect(members.size).toBeGreaterThan(0);
    expect(members.size).toBeLessThan(base.length);
    const service = insights();
    for (const clientId of base) {
      const explained = await service.explain(caller, 'seg-1', clientId, 'ru');
      const passed = (id: string) => explained.criteria.find((c) => c.id === id)?.passed;
      const member = ['age', 'debit', 'spend'].every((id) => passed(id) === true) && passed('loan') === false;
      expect({ clientId, member: explained.member }).toEqual({ clientId, member: members.has(clientId) });
      expect(member).toBe(explained.member);
    }
  }, 120_000);

  it('shows the numbers a criterion compares, never a value of personal data', async () => {
    const clientId = [...members][0] as string;
    const explained = await insights().explain(caller, 'seg-1', clientId, 'ru');
    const spend = explained.criteria.find((c) => c.id === 'spend');
    expect(spend?.text).toBe('criterion spend');
    expect(spend?.values).toHaveLength(1);
    expect(spend?.values[0]).toMatchObject({ attr: 'avg_monthly_card_spend', unit: 'rub' });
    expect(Number(spend?.values[0]?.value)).toBeGreaterThanOrEqual(1_000);
    expect(spend?.values[0]?.text).toMatch(/^средние траты по картам в месяц [\d\s ,]+ ₽$/u);
    // The age is computed from the birth date, which may filter but never be shown.
    expect(explained.criteria.find((c) => c.id === 'age')?.values).toEqual([]);
    // One query per explain, checked by the counting guard and audited.
    const last = audit.entries.at(-1);
    expect(last?.verdict).toBe('executed');
    expect(last?.sql).not.toMatch(/\bfull_name\b|\bphone\b|\bemail\b|\bpassport/i);
  });

  it('answers NOT_FOUND for a client the warehouse does not have, or an id its key cannot hold', async () => {
    const service = insights();
    await expect(service.explain(caller, 'seg-1', '999999999', 'ru')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(service.explain(caller, 'seg-1', 'abc', 'ru')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.explain({ id: 'other' }, 'seg-1', base[0] as string, 'ru')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it("answers only in or out for a person's SQL, under the person policy", async () => {
    const sql = compiler.segment(CRITERIA);
    segment = record(sql, null, 'sql');
    try {
      const service = insights();
      const inside = [...members][0] as string;
      const outside = base.find((id) => !members.has(id)) as string;
      const yes = await service.explain(caller, 'seg-1', inside, 'en');
      expect(yes).toMatchObject({ member: true, sql: 'person', criteria: [] });
      expect(audit.entries.at(-1)?.origin).toBe('person');
      expect((await service.explain(caller, 'seg-1', outside, 'en')).member).toBe(false);
    } finally {
      segment = record(
        sql,
        CRITERIA.map((c) => ({ id: c.id, sql: compiler.expr(c.expr) })),
      );
    }
  });

  it('draws the portrait: every line sums to the segment and to the base, flags count their holders', async () => {
    const portrait = await insights().portrait(caller, 'seg-1', 'en');
    expect(portrait.segmentSize).toBe(members.size);
    expect(portrait.baseSize).toBe(base.length);
    expect(portrait.lines.map((l) => l.key)).toEqual(
      expect.arrayContaining([
        'age',
        'ref_region.federal_district',
        'monthly_income',
        'flags_4',
        'has_marketing_consent',
      ]),
    );
    for (const line of portrait.lines.filter((l) => l.kind === 'distribution')) {
      expect({ line: line.key, base: sum(line.buckets.map((b) => b.base)) }).toEqual({
        line: line.key,
        base: base.length,
      });
      expect({ line: line.key, segment: sum(line.buckets.map((b) => b.segment)) }).toEqual({
        line: line.key,
        segment: members.size,
      });
    }
    const age = portrait.lines.find((l) => l.key === 'age');
    expect(age?.buckets.map((b) => b.label)).toEqual(
      expect.arrayContaining(['25–34 years', '35–44 years', '45–54 years']),
    );
    // Nobody in the segment is outside 25..55.
    expect(age?.buckets.find((b) => b.label === 'under 25 years')?.segment ?? 0).toBe(0);
    const products = portrait.lines.find((l) => l.key === 'flags_4');
    const debit = products?.buckets.find((b) => b.value === 'has_debit_card');
    expect(debit?.segment).toBe(members.size);
    const holders = new Set<string>();
    await sandbox.execute(compiler.expr({ type: 'attr', attr: 'has_debit_card' } as Expr), {
      context: {},
      onIds: async (ids) => void ids.forEach((id) => holders.add(id)),
    });
    expect(debit?.base).toBe(holders.size);
    expect(products?.buckets.find((b) => b.value === 'has_active_loan')?.segment).toBe(0);
  }, 60_000);

  it('reads the segment side the execution stage stored, and the base counted at start: a view runs no query', async () => {
    const builder = new PortraitBuilder(model, compiler);
    const query = builder.counts(segment.sql as string);
    const rows: string[] = [];
    await sandbox.execute(query.sql, {
      context: { output: 'counts' },
      onIds: async (values) => void rows.push(...values),
    });
    const stored = query.read(rows);
    segment = { ...segment, portrait: stored };
    try {
      const service = insights();
      const before = audit.entries.length;
      // The gateway counts the whole base at start; views then run no query at all.
      await service.warm('bank');
      expect(audit.entries.length - before).toBe(1);
      const first = await service.portrait(caller, 'seg-1', 'ru');
      const second = await service.portrait(caller, 'seg-1', 'ru');
      expect(audit.entries.length - before).toBe(1);
      expect(second).toEqual({ ...first, durationMs: second.durationMs });
      expect(first.segmentSize).toBe(members.size);
    } finally {
      segment = { ...segment, portrait: null };
    }
  });
});

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
