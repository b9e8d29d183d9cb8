import { AppError, STAGES, type RunReport, type StagePassReport } from '@t2s/contracts';
import type { SegmentRecord } from '@t2s/service-store';
import { createBaselineStrategy } from '@t2s/baseline';
import {
  CriteriaCompiler,
  PortraitBuilder,
  SemanticModel,
  warehouseSemanticModel,
  type PortraitCounts,
} from '@t2s/semantic';
import { runSegmentInProcess } from './run-pipeline';
import { runCriteriaStage } from './stages/criteria.stage';
import type { PipelineStrategy, SqlInput } from '@t2s/strategy';
import { openPipelineFixture, type PipelineFixture } from './testing/pipeline-fixture';

// The audience the bank's offer rules give a credit card offer sent by PUSH (no product code, so no
// product age limits), written by hand: active, PUSH consent and notifications, no active credit card,
// not on a stop list for PUSH or all channels, not contacted in 30 days, no overdue or written-off loan.
const CREDIT_CARD_PUSH = `
  select c.client_id from client c cross join (select max(report_date) as d from etl_load_info) r
  where c.client_status = 'ACTIVE'
    and exists (select 1 from marketing_consent m
                where m.client_id = c.client_id and m.channel_code = 'PUSH' and m.is_granted)
    and exists (select 1 from digital_profile p where p.client_id = c.client_id and p.push_enabled)
    and not exists (select 1 from card k
                    where k.client_id = c.client_id and k.card_type = 'CREDIT' and k.card_status = 'ACTIVE')
    and not exists (select 1 from stop_list s
                    where s.client_id = c.client_id and (s.channel_code is null or s.channel_code = 'PUSH')
                      and s.added_date <= r.d and (s.expires_date is null or s.expires_date > r.d))
    and not exists (select 1 from campaign_contact cc
                    where cc.client_id = c.client_id and not cc.is_control_group
                      and cc.contact_date > r.d - interval '30 day' and cc.contact_date < r.d + interval '1 day')
    and not exists (select 1 from loan l
                    where l.client_id = c.client_id and l.loan_status in ('OVERDUE', 'RESTRUCTURED', 'WRITTEN_OFF'))`;

/** Stage runs in pipeline order (the store lists them by stage name), as [stage, pass, outcome]. */
function passes(segment: SegmentRecord | null) {
  return [...(segment?.stageRuns ?? [])]
    .sort((a, b) => STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage) || a.pass - b.pass)
    .map((r) => [r.stage, r.pass, r.outcome]);
}

/** A PipelineObserver that keeps what it is told. */
function observer() {
  const passes: StagePassReport[] = [];
  const runs: RunReport[] = [];
  return {
    passes,
    runs,
    stageFinished: (pass: (typeof passes)[number]) => void passes.push(pass),
    runFinished: (run: (typeof runs)[number]) => void runs.push(run),
  };
}

describe('pipeline with the baseline strategy', () => {
  let f: PipelineFixture;
  // The fixture's warehouse is the demo bank under a throw-away schema name.
  const baseline = createBaselineStrategy({ modelName: 'bank' });

  beforeAll(async () => {
    f = await openPipelineFixture(300);
  }, 120_000);
  afterAll(() => f?.close());

  const memberIds = async (segmentId: string): Promise<string[]> =>
    ((await f.store.members.page(segmentId, { limit: 100_000 }))?.ids ?? []).sort();

  it("counts the segment's side of its portrait with the result, over exactly its members", async () => {
    const model = new SemanticModel(
      warehouseSemanticModel('bank', f.catalog, f.catalog.schemas[0] as string)!,
      f.catalog,
      f.catalog.schemas[0] as string,
    );
    const builder = new PortraitBuilder(model, new CriteriaCompiler(model));
    const ids = await f.createSegment({ criteria: 'Возраст от 25 до 45 лет' });
    const segment = await runSegmentInProcess(
      ids,
      f.deps(baseline, { portrait: (_warehouse, sql) => builder.counts(sql) }),
    );
    expect(segment?.status).toBe('succeeded');
    const portrait = segment?.portrait as PortraitCounts;
    expect(portrait.size).toBe(segment?.resultSize);
    const age = portrait.lines.find((l) => l.key === 'age');
    expect(age?.buckets.reduce((n, b) => n + b.count, 0)).toBe(segment?.resultSize);
    // Nobody outside 25..45: the bands below 25 and from 45 on hold only those aged 45.
    expect(age?.buckets.find((b) => b.value === '0')?.count).toBe(0);
    // A new revision clears it until its own run counts it again.
    await f.store.segments.addRevision(ids.segmentId, { criteria: 'Возраст от 30 до 45 лет' }, f.apiKeyId);
    expect((await f.store.segments.findById(ids.segmentId))?.portrait).toBeNull();
  });

  it('runs a credit card PUSH offer end to end; the ids match the hand-written SQL', async () => {
    const ids = await f.createSegment();
    const segment = await runSegmentInProcess(ids, f.deps(baseline));
    expect(segment).toMatchObject({ status: 'succeeded', stage: 'execution', error: null });
    expect(segment?.resultSize).toBeGreaterThan(0);
    expect(segment?.sampleIds?.length).toBeGreaterThan(0);
    expect(segment?.criteria?.items.map((c) => [c.kind, c.source])).toContainEqual(['exclude', 'rule']);
    expect(segment?.criteria?.items.every((c) => c.text.length > 0)).toBe(true);
    const expected = await f.adminIds(CREDIT_CARD_PUSH);
    expect(await memberIds(ids.segmentId)).toEqual(expected);
    expect(segment?.resultSize).toBe(expected.length);
    expect(passes(segment)).toEqual([
      ['criteria', 0, 'succeeded'],
      ['linking', 0, 'succeeded'],
      ['sql', 0, 'succeeded'],
      ['execution', 0, 'succeeded'],
    ]);

    // Each criterion's own count, and the funnel: inclusions, then exclusions, each step a subset of
    // the one before, ending at the segment's size.
    const items = segment?.criteria?.items ?? [];
    const counts = segment?.perCriterionCounts ?? {};
    expect(Object.keys(counts).sort()).toEqual(items.map((c) => c.id).sort());
    const funnel = segment?.funnel ?? [];
    const kindOf = (id: string) => items.find((c) => c.id === id)?.kind;
    expect(funnel.map((step) => step.criterion)).toEqual([
      ...items.filter((c) => c.kind === 'include').map((c) => c.id),
      ...items.filter((c) => c.kind === 'exclude').map((c) => c.id),
    ]);
    expect(funnel[0]?.remaining).toBe(counts[funnel[0]?.criterion as string]);
    for (let i = 1; i < funnel.length; i++) {
      expect(funnel[i]!.remaining).toBeLessThanOrEqual(funnel[i - 1]!.remaining);
      if (kindOf(funnel[i]!.criterion) === 'include') {
        expect(funnel[i]!.remaining).toBeLessThanOrEqual(counts[funnel[i]!.criterion] as number);
      }
    }
    expect(funnel.at(-1)?.remaining).toBe(expected.length);
    // One query listed the members and counted them: the counted pass, with the report date written in.
    const ran = f.audit.entries.filter((e) => e.segmentId === ids.segmentId && e.verdict === 'executed');
    expect(ran.map((e) => [e.sql.includes('as flags'), /date '\d{4}-\d{2}-\d{2}'/.test(e.sql)])).toEqual([
      [false, false], // the report date
      [true, true], // the counted pass
    ]);
    expect(ran[1]?.sql).not.toContain('etl_load_info');

    // Each criterion's SELECT is stored with the catalog columns it reads, described.
    const written = segment?.criterionSql ?? [];
    expect(written.map((c) => c.id).sort()).toEqual(items.map((c) => c.id).sort());
    for (const c of written) expect(c.columns?.length).toBeGreaterThan(0);
    const read = written.flatMap((c) => c.columns ?? []);
    expect(read).toContainEqual(expect.objectContaining({ table: 'card', column: 'card_type' }));
    expect(read.every((c) => typeof c.description === 'string' && c.description.length > 0)).toBe(true);
    expect(read.filter((c) => c.column === 'client_id').every((c) => c.key)).toBe(true);
    expect(read.find((c) => c.column === 'card_type')?.key).toBeUndefined();
  });

  it('runs the plain SQL, uncounted, when the counted pass runs past its own timeout', async () => {
    const ids = await f.createSegment();
    // A counted pass can only time out at 1 ms; the plain SQL keeps the generated timeout. So short a
    // timeout can also cost the pass its connection (its cancellation races the query): a short grace
    // keeps that case quick, and it falls back all the same.
    const sandbox = f.openSandbox({ countedTimeoutMs: 1, stallGraceMs: 300 });
    const segment = await runSegmentInProcess(ids, f.deps(baseline, { sandbox }));
    expect(segment).toMatchObject({ status: 'succeeded', stage: 'execution', error: null });
    expect(await memberIds(ids.segmentId)).toEqual(await f.adminIds(CREDIT_CARD_PUSH));
    expect(segment?.funnel ?? null).toBeNull();
    expect(segment?.perCriterionCounts ?? null).toBeNull();
    const ran = f.audit.entries.filter((e) => e.segmentId === ids.segmentId && e.verdict !== 'rejected');
    expect(ran.map((e) => [e.sql.includes('as flags'), e.verdict])).toEqual([
      [false, 'executed'], // the report date
      [true, 'failed'], // the counted pass
      [false, 'executed'], // the segment as written
    ]);
    expect(['SQL_TIMEOUT', 'WAREHOUSE_UNAVAILABLE']).toContain(ran[1]?.code);
    expect(passes(segment)).toEqual([
      ['criteria', 0, 'succeeded'],
      ['linking', 0, 'succeeded'],
      ['sql', 0, 'succeeded'],
      ['execution', 0, 'succeeded'],
    ]);
  });

  it('works from written criteria text ("возраст от 20 до 25 лет")', async () => {
    const ids = await f.createSegment({ criteria: 'возраст от 20 до 25 лет' });
    const segment = await runSegmentInProcess(ids, f.deps(baseline));
    expect(segment?.status).toBe('succeeded');
    expect(segment?.criteria?.items[0]).toMatchObject({ text: 'возраст от 20 до 25 лет', kind: 'include' });
    expect(segment?.understanding).toEqual({ coverage: 1, unparsed: [] });
    const ages = await f.adminIds(`
      select c.client_id from client c cross join (select max(report_date) as d from etl_load_info) r
      where date_part('year', age(r.d, c.birth_date)) between 20 and 25`);
    const members = await memberIds(ids.segmentId);
    expect(members.length).toBeGreaterThan(0);
    expect(members.every((id) => ages.includes(id))).toBe(true);
  });

  it('reports an unknown phrase in unparsed instead of dropping it, and ends needs_review', async () => {
    const ids = await f.createSegment({ criteria: 'возраст от 20 до 25 лет; любит котиков' });
    const segment = await runSegmentInProcess(ids, f.deps(baseline));
    expect(segment?.status).toBe('needs_review');
    expect(segment?.understanding?.unparsed).toEqual(['любит котиков']);
    expect(segment?.resultSize).toBeGreaterThan(0);
  });

  it('reads exclusions alone as every client less those ("клиенты без ипотеки")', async () => {
    const ids = await f.createSegment({ criteria: 'клиенты без ипотеки' });
    const segment = await runSegmentInProcess(ids, f.deps(baseline));
    expect(segment?.status).toBe('succeeded');
    expect(segment?.criteria?.items.map((c) => c.kind)).toEqual(['exclude']);
    const expected = await f.adminIds(`
      select c.client_id from client c
      where not exists (select 1 from loan l where l.client_id = c.client_id
                          and l.loan_type = 'MORTGAGE' and l.loan_status in ('ACTIVE', 'OVERDUE', 'RESTRUCTURED'))`);
    expect(await memberIds(ids.segmentId)).toEqual(expected);
  });

  it('runs the strategy a segment asks for, and fails one the workers do not run instead of falling back', async () => {
    const asked = await f.createSegment({ options: { strategy: 'llm' } });
    const refused = await runSegmentInProcess(asked, f.deps(baseline));
    expect(refused).toMatchObject({
      status: 'failed',
      error: { code: 'STRATEGY_UNAVAILABLE', stage: 'criteria' },
    });
    const named: string[] = [];
    const llm: PipelineStrategy = {
      ...baseline,
      name: 'llm',
      criteria: {
        generate: async (input) => {
          named.push('llm');
          return baseline.criteria.generate(input);
        },
      },
    };
    const served = await f.createSegment({ options: { strategy: 'llm' } });
    const segment = await runSegmentInProcess(served, f.deps(baseline, { strategies: { llm } }));
    expect(segment?.status).toBe('succeeded');
    expect(named).toEqual(['llm']);
  });

  it('fails with CRITERIA_UNPARSED when nothing in the text is recognised', async () => {
    const ids = await f.createSegment({ criteria: 'любит котиков' });
    const segment = await runSegmentInProcess(ids, f.deps(baseline));
    expect(segment).toMatchObject({
      status: 'failed',
      error: { code: 'CRITERIA_UNPARSED', stage: 'criteria' },
    });
  });

  it('repairs a failing SQL through the loop back to the SQL stage', async () => {
    const calls: SqlInput[] = [];
    const flaky: PipelineStrategy = {
      ...baseline,
      sql: {
        generate: async (input) => {
          calls.push(input);
          if (calls.length === 1) {
            const table = f.catalog.tables.find((t) => t.name === 'client')!;
            // The guard accepts it; PostgreSQL refuses it.
            return { sql: `select client_id from ${table.schema}.client where client_id = 'one'`, tokens: 7 };
          }
          return baseline.sql.generate({ ...input, previousError: undefined });
        },
      },
    };
    const ids = await f.createSegment();
    const observed = observer();
    const segment = await runSegmentInProcess(ids, f.deps(flaky, { observer: observed }));
    expect(segment?.status).toBe('succeeded');
    expect(calls).toHaveLength(2);
    // What metrics see: every pass with its outcome and tokens, the failed pass's code, one run.
    expect(observed.passes.map((p) => [p.stage, p.outcome, p.tokens, p.code ?? null])).toEqual([
      ['criteria', 'succeeded', 0, null],
      ['linking', 'succeeded', 0, null],
      ['sql', 'succeeded', 7, null],
      ['execution', 'failed', 0, 'SQL_FAILED'],
      ['sql', 'succeeded', 0, null],
      ['execution', 'succeeded', 0, null],
    ]);
    // Time inside the strategy is kept per pass (not for execution, which calls none).
    expect(segment?.stageRuns.map((r) => [r.stage, r.strategyMs === null])).toEqual(
      segment?.stageRuns.map((r) => [r.stage, r.stage === 'execution']),
    );
    expect(observed.passes.filter((p) => p.strategySeconds !== undefined)).toHaveLength(4);
    expect(observed.runs).toEqual([
      { status: 'succeeded', strategy: 'baseline', warehouse: expect.any(String), size: segment?.resultSize },
    ]);
    expect(calls[1]?.previousError).toMatchObject({
      code: 'SQL_FAILED',
      sql: expect.stringContaining("client_id = 'one'"),
    });
    // The repair round knows what the run has spent: the budget is the run's, not the call's.
    expect(calls.map((c) => c.tokensSpent)).toEqual([0, 7]);
    expect(passes(segment)).toEqual([
      ['criteria', 0, 'succeeded'],
      ['linking', 0, 'succeeded'],
      ['sql', 0, 'succeeded'],
      ['sql', 1, 'succeeded'],
      ['execution', 0, 'failed'],
      ['execution', 1, 'succeeded'],
    ]);
    expect(await memberIds(ids.segmentId)).toEqual(await f.adminIds(CREDIT_CARD_PUSH));
  });

  it('fails after the repair rounds when the SQL never works', async () => {
    const broken: PipelineStrategy = {
      ...baseline,
      sql: { generate: async () => ({ sql: 'select client_id from no_such_table', tokens: 0 }) },
    };
    const ids = await f.createSegment();
    const observed = observer();
    const segment = await runSegmentInProcess(ids, f.deps(broken, { observer: observed }));
    expect(segment).toMatchObject({ status: 'failed', error: { code: 'SQL_REJECTED', stage: 'execution' } });
    expect(observed.runs).toEqual([
      { status: 'failed', strategy: 'baseline', warehouse: expect.any(String), code: 'SQL_REJECTED' },
    ]);
    expect(segment?.stageRuns.filter((r) => r.stage === 'execution')).toHaveLength(4);
  });

  it('rethrows a warehouse outage as retryable and leaves the segment running', async () => {
    const ids = await f.createSegment();
    const down = {
      ...f.deps(baseline),
      sandbox: {
        execute: async () =>
          ({
            ok: false,
            code: 'WAREHOUSE_UNAVAILABLE',
            message: 'down',
            retryable: true,
            durationMs: 1,
          }) as const,
      },
    };
    const error = await runSegmentInProcess(ids, down).catch((e: unknown) => e);
    expect(AppError.is(error) && error.code).toBe('WAREHOUSE_UNAVAILABLE');
    expect(AppError.is(error) && error.retryable).toBe(true);
    expect(await f.store.segments.findById(ids.segmentId)).toMatchObject({
      status: 'running',
      stage: 'execution',
    });
  });

  it("runs a person's SQL revision under the person guard and timeout, generated SQL under its own", async () => {
    const ids = await f.createSegment();
    expect((await runSegmentInProcess(ids, f.deps(baseline)))?.status).toBe('succeeded');
    const origins = (revisionId: string) =>
      f.audit.entries.filter((e) => e.revisionId === revisionId).map((e) => [e.origin, e.code ?? null]);
    // The segment's SQL and its funnel count, both generated.
    expect(origins(ids.revisionId)).toEqual([
      ['generated', null],
      ['generated', null],
    ]);

    // A cross join of three client tables: accepted by both policies, and seconds of work.
    const slow = `select a.client_id from client a, client b, client c
      where a.client_id + b.client_id + c.client_id < 0`;
    const revision = await f.store.segments.addRevision(ids.segmentId, { sql: slow }, f.apiKeyId);
    const sandbox = f.openSandbox({
      statementTimeoutMs: 60_000,
      person: { guard: f.guards.person, statementTimeoutMs: 200 },
    });
    const started = performance.now();
    const failed = await runSegmentInProcess(
      { segmentId: ids.segmentId, revisionId: revision!.id },
      f.deps(baseline, { sandbox }),
    );
    expect(performance.now() - started).toBeLessThan(5_000);
    // A person's SQL is not repaired: the run fails with the timeout of the person limits.
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'SQL_TIMEOUT', stage: 'execution' } });
    expect(origins(revision!.id)).toEqual([['person', 'SQL_TIMEOUT']]);
  });

  it("refuses a person's SQL revision that reads personal data, and audits the refusal", async () => {
    const ids = await f.createSegment();
    expect((await runSegmentInProcess(ids, f.deps(baseline)))?.status).toBe('succeeded');
    const leak = "select client_id from client_pii where passport_number like '4%'";
    const revision = await f.store.segments.addRevision(ids.segmentId, { sql: leak }, f.apiKeyId);
    const failed = await runSegmentInProcess(
      { segmentId: ids.segmentId, revisionId: revision!.id },
      f.deps(baseline),
    );
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'SQL_REJECTED', stage: 'execution' } });
    expect(failed?.error?.message).toContain('passport_number');
    expect(f.audit.entries.filter((e) => e.revisionId === revision!.id)).toEqual([
      expect.objectContaining({ verdict: 'rejected', code: 'PII_COLUMN', origin: 'person', sql: leak }),
    ]);
  });

  it('makes a stale stage a no-op when a revision is posted mid-run', async () => {
    const ids = await f.createSegment();
    let newRevisionId = '';
    const interrupted: PipelineStrategy = {
      ...baseline,
      criteria: {
        generate: async (input) => {
          const revision = await f.store.segments.addRevision(
            ids.segmentId,
            { criteria: 'age 30-40' },
            f.apiKeyId,
          );
          newRevisionId = revision!.id;
          return baseline.criteria.generate(input);
        },
      },
    };
    expect(await runCriteriaStage({ ...ids, pass: 0 }, f.deps(interrupted))).toEqual({ next: null });
    const stale = await f.store.segments.findById(ids.segmentId);
    expect(stale).toMatchObject({ status: 'queued', stage: 'criteria', criteria: null });
    expect(stale?.currentRevisionId).toBe(newRevisionId);

    // The old revision's later stages are dropped too; the new one runs from its own criteria.
    expect(await runCriteriaStage({ ...ids, pass: 0 }, f.deps(baseline))).toEqual({ next: null });
    const fresh = await runSegmentInProcess(
      { segmentId: ids.segmentId, revisionId: newRevisionId },
      f.deps(baseline),
    );
    expect(fresh?.status).toBe('succeeded');
    expect(fresh?.criteria?.items[0]).toMatchObject({ text: 'age 30-40' });
  });
});
