// Conversion through the whole service (gateway, workers, the seeded demo bank): a segment holding out a
// control group, its members CSV with the group column, outcomes imported as CSV (refused whole with the
// bad lines' numbers, idempotent per client) and from the warehouse's campaign responses, and the report
// with the segments made for the same offer by origin.
import { MEMBERS_CSV_GROUP_HEADER, type ConversionReport, type Segment } from '@t2s/contracts';
import { controlGroupOf } from '@t2s/service-store';
import { openServiceFixture, type ServiceFixture } from './testing/service-fixture';

jest.setTimeout(180_000);

describe('conversion (control group, outcomes, report)', () => {
  let f: ServiceFixture;
  let segment: Segment;
  const OFFER_ID = `DEP-12M-${Date.now()}`;

  const offer = {
    id: OFFER_ID,
    product: { type: 'deposit' },
    title: 'Вклад на 12 месяцев',
    channel: 'CALL',
  };

  async function run(body: Record<string, unknown>): Promise<Segment> {
    const created = await f.api('POST', '/v1/segments', { body: f.request({ offer, ...body }) });
    expect(created.status).toBe(202);
    const accepted = created.json() as { id: string; revision: { id: string } };
    await f.receiver.waitForRun(accepted.id, accepted.revision.id);
    return (await f.api('GET', `/v1/segments/${accepted.id}`)).json() as Segment;
  }

  const csv = (text: string, id = segment.id, key?: string) =>
    f.api('POST', `/v1/segments/${id}/outcomes`, {
      body: text,
      headers: { 'content-type': 'text/csv' },
      ...(key ? { key } : {}),
    });

  const report = async (id = segment.id): Promise<ConversionReport> => {
    const response = await f.api('GET', `/v1/segments/${id}/conversion`);
    expect(response.status).toBe(200);
    return response.json() as ConversionReport;
  };

  let members: Array<{ id: string; group: string }>;

  beforeAll(async () => {
    f = await openServiceFixture(300);
    segment = await run({
      criteria: 'Возраст от 18 до 80 лет',
      options: { warehouse: f.request().options.warehouse, controlShare: 0.3 },
    });
    expect(segment.status).toBe('succeeded');
    const exported = await f.api('GET', `/v1/segments/${segment.id}/members`, {
      headers: { accept: 'text/csv' },
    });
    expect(exported.status).toBe(200);
    const [header, ...lines] = exported.text.trimEnd().split('\n');
    expect(header).toBe(MEMBERS_CSV_GROUP_HEADER);
    members = lines.map((line) => {
      const [id, group] = line.split(',') as [string, string];
      return { id, group };
    });
  }, 240_000);
  afterAll(() => f?.close());

  it('exports each member with its group, drawn by the hash of segment and client id', () => {
    expect(members.length).toBe(segment.result?.size);
    for (const m of members) expect(m.group).toBe(controlGroupOf(segment.id, m.id, 0.3));
    const control = members.filter((m) => m.group === 'control').length;
    expect(control).toBeGreaterThan(0);
    expect(control).toBeLessThan(members.length);
  });

  it('refuses a CSV with bad lines whole, naming each line, and stores nothing', async () => {
    const refused = await csv(
      `client_id,converted_at\n${members[0]!.id},2026-03-02\n,2026-03-02\n7,tomorrow\n`,
    );
    expect(refused.status).toBe(400);
    const error = (refused.json() as { error: { code: string; details: { path: string }[] } }).error;
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.details.map((d) => d.path)).toEqual(['line.3', 'line.4']);
    expect((await report()).outcomes).toMatchObject({ recorded: 0, imports: 0 });
  });

  it('refuses a JSON body with 415', async () => {
    const response = await f.api('POST', `/v1/segments/${segment.id}/outcomes`, { body: { rows: [] } });
    expect(response.status).toBe(415);
  });

  it('imports outcomes once per client and reports target and control with Wilson intervals and the lift', async () => {
    const target = members.filter((m) => m.group === 'target');
    const control = members.filter((m) => m.group === 'control');
    const converted = [...target.slice(0, 20), ...control.slice(0, 3)];
    const body = `client_id,converted_at\n${converted.map((m) => `${m.id},2026-03-02`).join('\n')}\nnobody-1,\n`;
    const first = await csv(body);
    expect(first.status).toBe(200);
    expect(first.json()).toEqual({
      segmentId: segment.id,
      source: 'csv',
      lines: converted.length + 1,
      stored: converted.length + 1,
      alreadyStored: 0,
      notMembers: 1,
    });
    const again = (await csv(body)).json() as { stored: number; alreadyStored: number };
    expect(again).toMatchObject({ stored: 0, alreadyStored: converted.length + 1 });

    const r = await report();
    expect(r.controlShare).toBe(0.3);
    expect(r.target).toMatchObject({ size: target.length, converted: 20, rate: 20 / target.length });
    expect(r.control).toMatchObject({ size: control.length, converted: 3, rate: 3 / control.length });
    expect(r.target.interval!.low).toBeLessThan(r.target.rate!);
    expect(r.target.interval!.high).toBeGreaterThan(r.target.rate!);
    expect(r.lift!.ratio).toBeCloseTo(20 / target.length / (3 / control.length), 10);
    expect(r.lift!.difference).toBeCloseTo(20 / target.length - 3 / control.length, 10);
    expect(r.outcomes).toMatchObject({ recorded: converted.length + 1, imports: 2 });
  });

  it('compares the segments made for the same offer by origin, each over its target group', async () => {
    const edited = await run({ criteria: 'Возраст от 30 до 50 лет' });
    const revised = await f.api('POST', `/v1/segments/${edited.id}/revisions`, {
      body: { sql: `select client_id from ${edited.options.warehouse}.client where client_id % 2 = 0` },
    });
    expect(revised.status).toBe(202);
    const accepted = revised.json() as { revision: { id: string } };
    await f.receiver.waitForRun(edited.id, accepted.revision.id);
    const editedMembers = await f.api('GET', `/v1/segments/${edited.id}/members?limit=5`, {
      headers: { accept: 'text/csv' },
    });
    // No control share: the one-column CSV existing clients read.
    const ids = editedMembers.text.trimEnd().split('\n');
    expect(ids[0]).toBe('client_id');
    expect((await csv(`${ids.slice(1, 3).join('\n')}\n`, edited.id)).status).toBe(200);

    const r = await report();
    expect(r.comparison).toMatchObject({ by: 'offerId', value: OFFER_ID });
    const byId = new Map(r.comparison!.segments.map((s) => [s.id, s]));
    expect(byId.get(segment.id)).toMatchObject({
      origin: 'generated',
      converted: 20,
      outcomesImported: true,
    });
    expect(byId.get(edited.id)).toMatchObject({ origin: 'edited', converted: 2, outcomesImported: true });
    const origins = new Map(r.comparison!.origins.map((o) => [o.origin, o]));
    expect(origins.get('generated')).toMatchObject({ segments: 1, converted: 20 });
    expect(origins.get('edited')).toMatchObject({ segments: 1, converted: 2 });
    expect(origins.get('hand_written')).toMatchObject({ segments: 0, size: 0, rate: null, interval: null });
  });

  it("reads the warehouse's campaign responses among the members, through the sandbox", async () => {
    const fresh = await run({
      criteria: 'Возраст от 18 до 80 лет',
      options: { warehouse: f.request().options.warehouse, controlShare: 0.1 },
    });
    const response = await f.api('POST', `/v1/segments/${fresh.id}/outcomes/warehouse`);
    expect(response.status).toBe(200);
    const imported = response.json() as { source: string; stored: number; lines: number; notMembers: number };
    const converted = new Set(
      await f.adminIds(
        "select distinct client_id from campaign_response where response_type in ('APPLIED', 'PURCHASED')",
      ),
    );
    const own = await f.adminIds(fresh.sql as string);
    const expected = own.filter((id) => converted.has(id)).length;
    expect(imported).toMatchObject({
      source: 'warehouse',
      lines: converted.size,
      stored: expected,
      notMembers: 0,
    });
    const r = await report(fresh.id);
    expect(r.target.converted + (r.control?.converted ?? 0)).toBe(expected);
    const audit = await f.pool.query<{ n: string }>(
      `select count(*) as n from ${f.settings.env?.['SERVICE_DATABASE_SCHEMA']}.sql_audit
       where segment_id = $1 and origin = 'person' and sql like '%campaign_response%'`,
      [fresh.id],
    );
    expect(Number(audit.rows[0]?.n)).toBe(1);
  });

  it("hides another key's segment: its outcomes and conversion are 404", async () => {
    expect((await f.api('GET', `/v1/segments/${segment.id}/conversion`, { key: f.otherKey })).status).toBe(
      404,
    );
    expect((await csv('1,2026-01-01\n', segment.id, f.otherKey)).status).toBe(404);
  });
});
