// The whole service as `t2s up` runs it: gateway and one worker process per queue, real Redis and
// PostgreSQL. Runs finish asynchronously; specs wait on the webhook events they produce.
import { MEMBERS_CSV_HEADER, type Segment } from '@t2s/contracts';
import { waitUntil } from './testing/run-checks';
import { BODY_LIMIT_BYTES, openServiceFixture, type ServiceFixture } from './testing/service-fixture';
import { Webhook } from 'standardwebhooks';
import { startOpenAiStandIn, type OpenAiStandIn } from '@t2s/llm/testing';

jest.setTimeout(180_000);

describe('the segment service (gateway, queues, workers, webhooks)', () => {
  let f: ServiceFixture;

  // The llm strategy's model: a local server speaking OpenAI's protocol, as vLLM does.
  let model: OpenAiStandIn;

  beforeAll(async () => {
    model = await startOpenAiStandIn();
    f = await openServiceFixture(300, {
      LLM_BASE_URL: model.url,
      LLM_MODEL: 'qwen-test',
      // Short enough that the hanging-model spec waits seconds, long enough for any scripted answer.
      LLM_TIMEOUT_MS: '4000',
    });
  }, 240_000);
  afterAll(async () => {
    await f?.close();
    await model?.close();
  });

  const create = async (body: unknown, headers: Record<string, string> = {}) => {
    const response = await f.api('POST', '/v1/segments', { body, headers });
    expect(response.status).toBe(202);
    return response.json() as {
      id: string;
      revision: { id: string; number: number };
      links: { self: string };
    };
  };
  const getSegment = async (id: string): Promise<Segment> =>
    (await f.api('GET', `/v1/segments/${id}`)).json();

  describe('the API contract', () => {
    it('refuses a request without a key, or with an unknown one (401)', async () => {
      expect((await f.api('GET', '/v1/catalog', { key: null })).status).toBe(401);
      const response = await f.api('POST', '/v1/segments', { key: 't2s_unknown', body: f.request() });
      expect(response.status).toBe(401);
      expect(response.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    });

    it('answers an invalid body with 400 naming the field and the reason', async () => {
      const response = await f.api('POST', '/v1/segments', {
        body: { ...f.request(), critera: 'typo', options: { sampleSize: -1 } },
      });
      expect(response.status).toBe(400);
      const body = response.json();
      const paths = body.error.details.map((d: { path: string }) => d.path);
      expect(paths.sort()).toEqual(['critera', 'options.sampleSize']);
    });

    it('refuses a warehouse the deployment does not serve with 400, before storing anything', async () => {
      const response = await f.api('POST', '/v1/segments', {
        body: f.request({ options: { warehouse: 'nowhere' } }),
      });
      expect(response.status).toBe(400);
      expect(response.json().error).toMatchObject({
        code: 'INVALID_REQUEST',
        details: [{ path: 'options.warehouse', reason: expect.stringMatching(/GET \/v1\/warehouses/) }],
      });
    });

    it('answers a body over the limit with 413', async () => {
      const response = await f.api('POST', '/v1/segments', {
        body: f.request({ criteria: 'x'.repeat(BODY_LIMIT_BYTES) }),
      });
      expect(response.status).toBe(413);
      expect(response.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    });

    it('gives the same segment for the same Idempotency-Key and body, 409 for another body', async () => {
      const headers = { 'Idempotency-Key': `idem-${Date.now()}` };
      const first = await create(f.request(), headers);
      const again = await create(f.request(), headers);
      expect(again.id).toBe(first.id);
      const conflict = await f.api('POST', '/v1/segments', {
        body: f.request({ criteria: 'Возраст 30-40 лет' }),
        headers,
      });
      expect(conflict.status).toBe(409);
      expect(conflict.json()).toMatchObject({ error: { code: 'IDEMPOTENCY_CONFLICT' } });
      await f.receiver.waitForRun(first.id, first.revision.id);
    });

    it("hides another key's segment and unknown ids (404), and refuses a malformed id (400)", async () => {
      const mine = await create(f.request());
      expect((await f.api('GET', `/v1/segments/${mine.id}`, { key: f.otherKey })).status).toBe(404);
      expect((await f.api('GET', '/v1/segments/7d1c0a52-2b1c-4f4e-9d55-0d6d3c1f9a10')).status).toBe(404);
      expect((await f.api('GET', '/v1/segments/not-a-uuid')).status).toBe(400);
      await f.receiver.waitForRun(mine.id, mine.revision.id);
    });

    it("lists a key's own segments newest first, in pages", async () => {
      const a = await create(f.request());
      const b = await create(f.request());
      const page = (await f.api('GET', '/v1/segments?limit=2')).json() as {
        items: { id: string; title: string }[];
        nextCursor: string | null;
      };
      expect(page.items.map((s) => s.id)).toEqual([b.id, a.id]);
      expect(page.items[0]?.title).toBe('Молодёжная кредитная карта');
      expect(page.nextCursor).not.toBeNull();
      const other = (await f.api('GET', '/v1/segments', { key: f.otherKey })).json() as { items: unknown[] };
      expect(other.items.some((s) => (s as { id: string }).id === a.id)).toBe(false);
      expect((await f.api('GET', '/v1/segments?limit=0')).status).toBe(400);
    });

    it('describes the warehouse for people writing criteria; an unknown one is 404', async () => {
      const schema = f.settings.warehouseSchema;
      const catalog = (await f.api('GET', `/v1/catalog?warehouse=${schema}`)).json();
      expect(catalog.tables.length).toBeGreaterThan(50);
      const client = catalog.tables.find((t: { name: string }) => t.name === 'client');
      // PII marks come from config/warehouses/<schema>.annotations.json; this throw-away schema has none.
      expect(client.columns.find((c: { name: string }) => c.name === 'birth_date')).toMatchObject({
        type: 'date',
        comment: expect.stringMatching(/Дата рождения/),
        pii: expect.any(Boolean),
      });
      expect((await f.api('GET', '/v1/catalog?warehouse=nowhere')).status).toBe(404);
      // The names a picker offers are the ones the catalog serves.
      expect((await f.api('GET', '/v1/warehouses')).json()).toEqual({ items: [{ name: schema }] });
      expect((await f.api('GET', '/v1/warehouses', { key: null })).status).toBe(401);
    });
  });

  describe('the SQL guard before running (POST /v1/sql/check)', () => {
    const check = (sql: string, warehouse = f.settings.warehouseSchema) =>
      f.api('POST', '/v1/sql/check', { body: { sql, warehouse } });

    it('accepts a read of client ids, naming the relations, and refuses writes and extra columns', async () => {
      const accepted = await check('select client_id from client where gender = $$F$$');
      expect(accepted.status).toBe(200);
      expect(accepted.json()).toEqual({
        accepted: true,
        relations: [`${f.settings.warehouseSchema}.client`],
      });

      const write = (await check('delete from client')).json();
      expect(write).toMatchObject({ accepted: false, code: expect.any(String), reason: expect.any(String) });
      const columns = (await check('select client_id, birth_date from client')).json();
      expect(columns).toMatchObject({ accepted: false });
      const unknown = (await check('select client_id from pg_catalog.pg_authid')).json();
      expect(unknown).toMatchObject({ accepted: false });
    });

    it("refuses a person's SQL that reads personal data or returns anything but the client key", async () => {
      const verdicts = await Promise.all(
        [
          'select substr(mobile_phone, 2)::bigint as client_id from client_pii where client_id = 1',
          "select client_id from client_pii where passport_number like '4%'",
          'select p.client_id from client_pii p where p::text like $$%@%$$',
          'select account_id from account',
          'with recursive r(n) as (select 1 union all select n + 1 from r) select client_id from client where client_id in (select n from r)',
        ].map(async (sql) => ((await check(sql)).json() as { code?: string }).code),
      );
      expect(verdicts).toEqual([
        'PII_COLUMN',
        'PII_COLUMN',
        'PII_COLUMN',
        'OUTPUT_NOT_ENTITY_KEY',
        'UNBOUNDED_RECURSION',
      ]);
    });

    it('answers 404 for a warehouse it does not serve, 400 for no SQL, 401 without a key', async () => {
      expect((await check('select 1', 'nowhere')).status).toBe(404);
      expect((await f.api('POST', '/v1/sql/check', { body: { sql: ' ' } })).status).toBe(400);
      expect((await f.api('POST', '/v1/sql/check', { key: null, body: { sql: 'select 1' } })).status).toBe(
        401,
      );
    });
  });

  describe('the review console (/console/)', () => {
    it('serves the page, its modules and only the vendored files its import map names', async () => {
      const page = await fetch(`${f.service.url}/console/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      // The import map is inline (browsers do not load `src` ones) and written by the gateway.
      const json = /<script type="importmap">([^<]*)<\/script>/.exec(await page.text())?.[1] ?? '{}';
      const imports = (JSON.parse(json) as { imports?: Record<string, string> }).imports ?? {};
      expect(imports).toMatchObject({
        preact: '/console/vendor/preact.js',
        '@codemirror/view': '/console/vendor/codemirror-view.js',
      });
      expect(await (await fetch(`${f.service.url}/console/index.html`)).text()).toContain(json);
      for (const path of [
        '/console/app.js',
        '/console/i18n.js',
        '/console/sql-editor.js',
        ...Object.values(imports),
      ]) {
        const response = await fetch(`${f.service.url}${path}`);
        expect([path, response.status, response.headers.get('content-type')]).toEqual([
          path,
          200,
          expect.stringMatching(/javascript/),
        ]);
      }
      const unknown = await fetch(`${f.service.url}/console/vendor/codemirror-nothing.js`);
      expect([unknown.status, await unknown.json()]).toEqual([
        404,
        { error: { code: 'NOT_FOUND', message: expect.any(String), requestId: expect.any(String) } },
      ]);
      expect((await fetch(`${f.service.url}/console/vendor/package.json`)).status).toBe(404);
      expect((await fetch(`${f.service.url}/console/../package.json`)).status).toBe(404);
    });
  });

  describe('the queue board for ops (bull-board at /admin/queues)', () => {
    it('asks for credentials, refuses a non-admin key, and lists every queue to an admin key', async () => {
      const anonymous = await fetch(`${f.service.url}/admin/queues`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm="t2s admin"/);
      const notAdmin = await fetch(`${f.service.url}/admin/queues/api/queues`, {
        headers: { authorization: `Bearer ${f.key}` },
      });
      expect(notAdmin.status).toBe(403);
      expect(await notAdmin.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });

      const admin = (await f.store.apiKeys.create('ops', { admin: true })).key;
      // As a browser sends it after the Basic prompt: any user name, the key as the password.
      const basic = `Basic ${Buffer.from(`ops:${admin}`).toString('base64')}`;
      const page = await fetch(`${f.service.url}/admin/queues`, { headers: { authorization: basic } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>t2s queues</title>');
      const api = await fetch(`${f.service.url}/admin/queues/api/queues`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(api.status).toBe(200);
      const { queues } = (await api.json()) as { queues: { name: string }[] };
      expect(queues.map((q) => q.name).sort()).toEqual([
        'criteria',
        'execution',
        'linking',
        'llm',
        'sql',
        'webhook',
      ]);
    });
  });

  describe('a run through the queues', () => {
    let segment: Segment;

    beforeAll(async () => {
      const accepted = await create(
        f.request({ criteria: 'Возраст 20-35 лет\nБез действующей кредитной карты' }),
      );
      await f.receiver.waitForRun(accepted.id, accepted.revision.id);
      segment = await getSegment(accepted.id);
    });

    it('stores criteria, SQL, the result, per-stage timings and the history', async () => {
      expect(segment).toMatchObject({ status: 'succeeded', stage: 'execution', revision: 1, error: null });
      expect(segment.criteria?.items.map((c) => c.kind)).toEqual(
        expect.arrayContaining(['include', 'exclude']),
      );
      expect(Object.keys(segment.timings).sort()).toEqual(['criteria', 'execution', 'linking', 'sql']);
      expect(segment.revisions).toHaveLength(1);
      const expected = await f.adminIds(segment.sql as string);
      expect(segment.result?.size).toBe(expected.length);
      expect(expected.length).toBeGreaterThan(0);
      // The console's funnel: every criterion counted, the last step the segment itself.
      expect(Object.keys(segment.result?.perCriterionCounts ?? {}).sort()).toEqual(
        segment.criteria?.items.map((c) => c.id).sort(),
      );
      expect(segment.result?.funnel?.at(-1)?.remaining).toBe(expected.length);
    });

    it('explains a member and a non-member criterion by criterion, and draws the portrait (one sandboxed query each)', async () => {
      const members = new Set(await f.adminIds(segment.sql as string));
      const all = await f.adminIds(`select client_id from ${segment.options.warehouse}.client`);
      const outside = all.find((id) => !members.has(id)) as string;
      const inside = [...members][0] as string;
      const explain = async (clientId: string, lang = 'ru') => {
        const response = await f.api(
          'GET',
          `/v1/segments/${segment.id}/clients/${clientId}/explain?lang=${lang}`,
        );
        expect(response.status).toBe(200);
        return response.json() as {
          member: boolean;
          criteria: { id: string; kind: string; passed: boolean; text: string }[];
        };
      };
      const yes = await explain(inside);
      expect(yes.member).toBe(true);
      expect(yes.criteria.map((c) => c.id).sort()).toEqual(segment.criteria?.items.map((c) => c.id).sort());
      expect(yes.criteria.every((c) => c.passed === (c.kind === 'include'))).toBe(true);
      const no = await explain(outside, 'en');
      expect(no.member).toBe(false);
      expect(no.criteria.some((c) => c.passed !== (c.kind === 'include'))).toBe(true);

      const unknown = await f.api('GET', `/v1/segments/${segment.id}/clients/987654321/explain`);
      expect(unknown.status).toBe(404);
      expect(unknown.json()).toMatchObject({
        error: { code: 'NOT_FOUND', message: expect.stringMatching(/client/) },
      });
      const malformed = await f.api('GET', `/v1/segments/${segment.id}/clients/a%20b/explain`);
      expect(malformed.status).toBe(400);

      const portrait = await f.api('GET', `/v1/segments/${segment.id}/portrait?lang=en`);
      expect(portrait.status).toBe(200);
      const body = portrait.json() as {
        segmentSize: number;
        baseSize: number;
        lines: { key: string; label: string; kind: string; buckets: { segment: number; base: number }[] }[];
      };
      expect(body.segmentSize).toBe(members.size);
      expect(body.baseSize).toBe(all.length);
      const age = body.lines.find((l) => l.key === 'age');
      expect(age?.label).toBe('Age');
      expect(age?.buckets.reduce((n, b) => n + b.segment, 0)).toBe(members.size);
    });

    it('pages the members as JSON and exports the same ids as CSV', async () => {
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor === null ? '?limit=7' : `?limit=7&cursor=${encodeURIComponent(cursor)}`;
        const page = (await f.api('GET', `/v1/segments/${segment.id}/members${query}`)).json();
        paged.push(...page.ids);
        cursor = page.nextCursor;
      } while (cursor !== null);

      const csv = await f.api('GET', `/v1/segments/${segment.id}/members`, {
        headers: { accept: 'text/csv' },
      });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      const lines = csv.text.trimEnd().split('\n');
      expect(lines[0]).toBe(MEMBERS_CSV_HEADER);
      expect(lines.slice(1)).toEqual(paged);
      expect([...paged].sort()).toEqual(await f.adminIds(segment.sql as string));
    });

    it('resumes from the criteria stage after a criteria revision, keeping the history', async () => {
      const response = await f.api('POST', `/v1/segments/${segment.id}/revisions`, {
        body: { criteria: 'Возраст 40-60 лет', author: 'marketer.ivanova' },
      });
      expect(response.status).toBe(202);
      const accepted = response.json();
      expect(accepted.revision.number).toBe(2);
      await f.receiver.waitForRun(segment.id, accepted.revision.id);
      const revised = await getSegment(segment.id);
      expect(revised).toMatchObject({ status: 'succeeded', revision: 2 });
      expect(revised.criteria?.text).toBe('Возраст 40-60 лет');
      expect(revised.revisions.map((r) => [r.kind, r.author])).toEqual([
        ['initial', undefined],
        ['criteria', 'marketer.ivanova'],
      ]);
      expect(revised.result?.size).toBe((await f.adminIds(revised.sql as string)).length);
    });

    it('runs an SQL revision from the execution stage, and re-runs it on current data', async () => {
      const sql = "select client_id from client where gender = 'F'";
      const edited = (await f.api('POST', `/v1/segments/${segment.id}/revisions`, { body: { sql } })).json();
      await f.receiver.waitForRun(segment.id, edited.revision.id);
      const afterEdit = await getSegment(segment.id);
      expect(afterEdit).toMatchObject({ status: 'succeeded', sql });
      expect(Object.keys(afterEdit.timings)).toEqual(['execution']);
      // A person's SQL has no per-criterion parts to count: no funnel, rather than a stale one.
      expect(afterEdit.result?.funnel).toBeUndefined();

      const rerun = await f.api('POST', `/v1/segments/${segment.id}/rerun`, {
        headers: { 'Idempotency-Key': `rerun-${segment.id}` },
      });
      expect(rerun.status).toBe(202);
      const replay = await f.api('POST', `/v1/segments/${segment.id}/rerun`, {
        headers: { 'Idempotency-Key': `rerun-${segment.id}` },
      });
      expect(replay.json().revision).toEqual(rerun.json().revision);
      await f.receiver.waitForRun(segment.id, rerun.json().revision.id);
      const afterRerun = await getSegment(segment.id);
      expect(afterRerun.revisions.map((r) => r.kind)).toEqual(['initial', 'criteria', 'sql', 'rerun']);
      expect(afterRerun.result?.size).toBe(afterEdit.result?.size);
    });

    it('fails an SQL revision the guard refuses, with the code and the stage', async () => {
      const body = { sql: 'select client_id from client; drop table client' };
      const accepted = (await f.api('POST', `/v1/segments/${segment.id}/revisions`, { body })).json();
      const delivery = await f.receiver.waitForRun(segment.id, accepted.revision.id);
      expect(delivery.event).toMatchObject({
        type: 'segment.failed',
        segment: { status: 'failed', error: { code: 'SQL_REJECTED', stage: 'execution' } },
      });
      // The person's SQL is not "repaired" into generated SQL: the run fails and shows no members.
      const failed = await getSegment(segment.id);
      expect(failed).toMatchObject({ status: 'failed', sql: body.sql, result: null });
      expect((await f.api('GET', `/v1/segments/${segment.id}/members`)).status).toBe(404);
    });
  });

  describe('batches', () => {
    it('creates many segments, then re-runs them, reporting per-item progress', async () => {
      const created = await f.api('POST', '/v1/batches', {
        body: { segments: [f.request(), f.request({ criteria: 'Возраст 18-30 лет' })] },
      });
      expect(created.status).toBe(202);
      const batch = created.json();
      expect(batch.progress.total).toBe(2);
      const ids: string[] = batch.items.map((item: { segmentId: string }) => item.segmentId);
      await Promise.all(ids.map((id) => f.receiver.waitFor((d) => d.event.segment.id === id)));
      expect((await f.api('GET', batch.links.self)).json()).toMatchObject({
        status: 'completed',
        progress: { total: 2, succeeded: 2 },
      });

      const rerun = (await f.api('POST', '/v1/batches', { body: { rerun: ids } })).json();
      expect(rerun.kind).toBe('rerun');
      for (const id of ids) {
        const segment = await getSegment(id);
        await f.receiver.waitForRun(id, segment.revisions.at(-1)?.id as string);
      }
      expect((await f.api('GET', rerun.links.self)).json()).toMatchObject({ status: 'completed' });
    });

    it('refuses a batch whole when one item names a warehouse not served, creating nothing', async () => {
      const newest = async () => (await f.api('GET', '/v1/segments?limit=1')).json().items[0]?.id;
      const before = await newest();
      const response = await f.api('POST', '/v1/batches', {
        body: { segments: [f.request(), f.request({ options: { warehouse: 'nowhere' } })] },
      });
      expect(response.status).toBe(400);
      expect(response.json().error.details).toEqual([
        { path: 'segments.1.options.warehouse', reason: expect.any(String) },
      ]);
      expect(await newest()).toBe(before);
    });

    it('refuses a re-run batch naming an unknown segment, queueing nothing', async () => {
      const response = await f.api('POST', '/v1/batches', {
        body: { rerun: ['7d1c0a52-2b1c-4f4e-9d55-0d6d3c1f9a10'] },
      });
      expect(response.status).toBe(404);
      expect(response.json().error.details).toEqual([
        { path: 'rerun.0', reason: expect.stringMatching(/No segment/) },
      ]);
    });
  });

  describe('webhooks', () => {
    it('signs every delivery and retries a failed one with the same event id', async () => {
      f.receiver.respond = (event, previous) => (event.type && previous.length === 0 ? 500 : 200);
      try {
        const accepted = await create(f.request());
        const delivered = await f.receiver.waitForRun(accepted.id, accepted.revision.id);
        const attempts = f.receiver.deliveries.filter((d) => d.event.id === delivered.event.id);
        expect(attempts.map((d) => d.status)).toEqual([500, 200]);
        for (const attempt of attempts) {
          expect(attempt.eventIdHeader).toBe(delivered.event.id);
          // What Co-marketer runs: the standardwebhooks library with the key's own secret.
          const verified = new Webhook(f.webhookSecret).verify(attempt.rawBody, attempt.webhookHeaders);
          expect(verified).toEqual(JSON.parse(attempt.rawBody));
        }
        // Neither the deployment's master key nor another secret verifies it.
        for (const other of [`whsec_${Buffer.from(f.settings.webhookSecret).toString('base64')}`]) {
          expect(() => new Webhook(other).verify(delivered.rawBody, delivered.webhookHeaders)).toThrow(
            /No matching signature/,
          );
        }
        // The worker records an attempt after the receiver answered it; wait for the second record.
        await waitUntil(async () => (await f.store.webhooks.listBySegment(accepted.id)).length === 2);
        const log = await f.store.webhooks.listBySegment(accepted.id);
        expect(log.map((d) => [d.attempt, d.statusCode])).toEqual([
          [1, 500],
          [2, 200],
        ]);
      } finally {
        f.receiver.respond = () => 200;
      }
    });

    it('signs with the old and the new secret while a rotation rolls over', async () => {
      const rotated = await f.api('POST', '/v1/webhook-secret/rotate');
      expect(rotated.status).toBe(200);
      const { secret, previousSecretsExpireAt } = rotated.json();
      expect(Date.parse(previousSecretsExpireAt)).toBeGreaterThan(Date.now() + 23 * 3600_000);

      const accepted = await create(f.request());
      const delivered = await f.receiver.waitForRun(accepted.id, accepted.revision.id);
      expect(delivered.signature?.split(' ')).toHaveLength(2);
      for (const held of [f.webhookSecret, secret]) {
        expect(new Webhook(held).verify(delivered.rawBody, delivered.webhookHeaders)).toMatchObject({
          id: delivered.event.id,
        });
      }
    });
  });

  describe('the llm strategy through the queues', () => {
    const travellers = {
      kind: 'include',
      text: 'Тратят на авиабилеты и отели за последние 12 месяцев',
      expr: {
        type: 'attr',
        attr: 'card_purchase_count',
        cmp: { op: 'gt', value: 0 },
        window: { n: 12, unit: 'month' },
        where: { column: 'ref_mcc_group.mcc_group_code', cmp: { op: 'in', values: ['AIRLINES', 'HOTELS'] } },
      },
    };

    it("runs a segment that asks for it: the model's criteria, the policy, tokens recorded", async () => {
      model.requests.length = 0;
      model.reply({
        content: JSON.stringify({ criteria: [travellers] }),
        usage: { prompt_tokens: 4_000, completion_tokens: 150 },
      });
      const created = await create(f.request({ options: { ...f.request().options, strategy: 'llm' } }));
      await f.receiver.waitForRun(created.id, created.revision.id);
      const segment = await getSegment(created.id);
      expect(segment.status).toBe('succeeded');
      expect(model.requests).toHaveLength(1);
      expect(segment.criteria?.items[0]).toMatchObject({ source: 'llm', text: travellers.text });
      expect(segment.criteria?.items.some((c) => c.source === 'rule')).toBe(true);
      expect(JSON.stringify(segment)).toContain('4150');
    });

    it('rides out a 429 from the model: the stage is retried and the run succeeds', async () => {
      model.requests.length = 0;
      model.reply(
        { status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'too many requests' } } },
        {
          content: JSON.stringify({ criteria: [travellers] }),
          usage: { prompt_tokens: 1_000, completion_tokens: 10 },
        },
      );
      const created = await create(f.request({ options: { ...f.request().options, strategy: 'llm' } }));
      await f.receiver.waitForRun(created.id, created.revision.id);
      expect((await getSegment(created.id)).status).toBe('succeeded');
      expect(model.requests).toHaveLength(2);
    });

    it('rides out a model that hangs past LLM_TIMEOUT_MS: the call is abandoned, the stage retried', async () => {
      model.reset();
      model.reply(
        { delayMs: 8_000, content: JSON.stringify({ criteria: [travellers] }) },
        { content: JSON.stringify({ criteria: [travellers] }) },
      );
      const created = await create(f.request({ options: { ...f.request().options, strategy: 'llm' } }));
      await f.receiver.waitForRun(created.id, created.revision.id);
      const segment = await getSegment(created.id);
      expect(segment.status).toBe('succeeded');
      expect(segment.timings.criteria?.attempts).toBe(1);
      expect(model.requests).toHaveLength(2);
    });

    // A criterion the representation cannot say: criteria, linking and SQL calls, the SQL the agent writes.
    const visits = { kind: 'include', text: 'Приходили в отделение за консультацией', expr: null };
    const visitsSql = "select client_id from branch_visit where purpose = 'CONSULTATION'";
    const criteriaAndLinking = () =>
      model.reply(
        { content: JSON.stringify({ criteria: [visits] }) },
        {
          content: JSON.stringify({
            criteria: [{ id: 'c1', columns: ['branch_visit.purpose', 'branch_visit.client_id'] }],
          }),
        },
      );
    const script = (sql = visitsSql) => {
      criteriaAndLinking();
      model.reply({ content: JSON.stringify({ criteria: [{ id: 'c1', sql }] }) });
    };
    const llmRequest = (criteria: string) =>
      f.request({ criteria, options: { ...f.request().options, strategy: 'llm' } });
    const userPrompt = (i: number) =>
      (model.requests[i] as { messages: { content: string }[] }).messages[1]?.content ?? '';

    it("makes an approved segment an example in the next similar segment's SQL prompt", async () => {
      model.reset();
      script();
      const first = await create(llmRequest('Приходили в отделение за консультацией'));
      await f.receiver.waitForRun(first.id, first.revision.id);
      const done = await getSegment(first.id);
      expect(done).toMatchObject({
        status: 'succeeded',
        approval: null,
        prompts: { criteria: 'criteria.v2', linking: 'linking.v1', sql: 'sql.v2' },
      });
      expect(userPrompt(2)).not.toContain('<examples>');

      const stale = await f.api('POST', `/v1/segments/${first.id}/approval`, { body: { revision: 2 } });
      expect(stale.status).toBe(409);
      expect(stale.json()).toMatchObject({ error: { code: 'NOT_APPROVABLE' } });
      const approved = await f.api('POST', `/v1/segments/${first.id}/approval`, {
        body: { revision: 1, author: 'anna' },
      });
      expect(approved.status).toBe(200);
      expect(approved.json()).toMatchObject({ revision: 1, author: 'anna' });
      expect((await getSegment(first.id)).approval).toMatchObject({ revision: 1, author: 'anna' });
      const foreign = await f.api('POST', `/v1/segments/${first.id}/approval`, { key: f.otherKey, body: {} });
      expect(foreign.status).toBe(404);

      model.reset();
      script();
      const second = await create(llmRequest('Были в отделении на консультации в этом году'));
      await f.receiver.waitForRun(second.id, second.revision.id);
      expect((await getSegment(second.id)).status).toBe('succeeded');
      expect(userPrompt(2)).toContain(
        `<examples>\nexample 1\ncriteria:\nПриходили в отделение за консультацией\nsql:\n`,
      );
      expect(userPrompt(2)).toContain("where purpose = 'CONSULTATION'");
    });

    it('repairs SQL the model wrote with an invented column: the error goes back to the SQL agent', async () => {
      model.reset();
      script(visitsSql.replace('purpose', 'visit_purpose'));
      model.reply({ content: JSON.stringify({ criteria: [{ id: 'c1', sql: visitsSql }] }) });
      const created = await create(llmRequest('Приходили в отделение за консультацией'));
      await f.receiver.waitForRun(created.id, created.revision.id);
      const segment = await getSegment(created.id);
      expect(segment).toMatchObject({
        status: 'succeeded',
        sql: expect.stringContaining("purpose = 'CONSULTATION'"),
      });
      expect(segment.timings.sql?.attempts).toBe(2);
      expect(userPrompt(3)).toMatch(/<previous_sql>[\s\S]*visit_purpose/);
      expect(userPrompt(3)).toMatch(/<error>[\s\S]*visit_purpose/);
      expect(segment.result?.size).toBe(new Set(await f.adminIds(visitsSql)).size);
    });

    it('asks again when the model answers what is not JSON, and fails with LLM_BAD_OUTPUT the second time', async () => {
      model.reset();
      model.reply({ content: 'Конечно! Вот критерии: путешественники.' }, { content: '{"criteria": [' });
      const created = await create(f.request({ options: { ...f.request().options, strategy: 'llm' } }));
      await f.receiver.waitForRun(created.id, created.revision.id);
      expect(await getSegment(created.id)).toMatchObject({
        status: 'failed',
        error: { code: 'LLM_BAD_OUTPUT', stage: 'criteria' },
      });
      expect(model.requests).toHaveLength(2);
      expect(userPrompt(1)).toContain('<format_error>');
    });

    it('fails the run with CRITERIA_UNPARSED when the model only invents, after one repair round', async () => {
      const invented = { kind: 'include', text: 'x', expr: { type: 'attr', attr: 'travel_affinity' } };
      model.reply(
        { content: JSON.stringify({ criteria: [invented] }) },
        { content: JSON.stringify({ criteria: [invented] }) },
      );
      const created = await create(f.request({ options: { ...f.request().options, strategy: 'llm' } }));
      await f.receiver.waitForRun(created.id, created.revision.id);
      expect(await getSegment(created.id)).toMatchObject({
        status: 'failed',
        error: { code: 'CRITERIA_UNPARSED' },
      });
    });
  });
});
