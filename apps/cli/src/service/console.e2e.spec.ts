// The review console in headless Chromium (Debian's chromium, driven by playwright-core) against the
// whole service: create a segment from an offer, see what data each criterion reads, edit a criterion,
// see the guard refuse an SQL edit, run an accepted one, approve, download the CSV; a run that ends needs_review,
// its fragments marked in the text. Screenshots go to
// tmp/console-screenshots/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Offer } from '@t2s/contracts';
import { REPO_ROOT } from '@t2s/process';
import { ConsoleUser, launchChromium } from './testing/console-user';
import { openServiceFixture, type ServiceFixture } from './testing/service-fixture';

jest.setTimeout(180_000);

const SHOTS = join(REPO_ROOT, 'tmp/console-screenshots');
const OFFER: Offer = {
  title: 'Молодёжная кредитная карта',
  product: { type: 'credit_card', name: 'Кредитная карта с кешбэком' },
  channel: 'PUSH',
  conditions: ['Кредитный лимит до 150 000 ₽'],
};

describe('the review console in a browser', () => {
  let f: ServiceFixture;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    f = await openServiceFixture(300);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await f?.close();
  });

  // An element's computed text colour (the spec compiles without DOM types).
  type Styles = { getComputedStyle(element: unknown): { color: string; backgroundColor: string } };
  const colourOf = (locator: Locator) =>
    locator.evaluate((element) => (globalThis as unknown as Styles).getComputedStyle(element).color);
  /** Waits until the segment list holds segments of `status` only, at least one. */
  const listShowsOnly = (status: string) =>
    page.waitForFunction((wanted) => {
      type Item = { dataset: { status?: string } };
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): Item[] } }).document;
      const items = [...doc.querySelectorAll('[data-test=segment-item] [data-test=segment-status]')];
      return items.length > 0 && items.every((item) => item.dataset.status === wanted);
    }, status);
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  /** One card of the segment view (`data-test` name), for the README. */
  const card = (test: string, name: string) =>
    page.locator(`[data-test=${test}]`).screenshot({ path: join(SHOTS, `${name}.png`) });

  it('creates, edits, is refused by the guard, approves and downloads a segment', async () => {
    const user = new ConsoleUser(page);
    await user.open(f.service.url, f.key);
    await user.createSegment(OFFER, f.settings.warehouseSchema, 'Возраст от 20 до 35 лет\nЖенщины');
    expect(await user.finished()).toBe('succeeded');
    await page.waitForSelector('[data-test=funnel] .step');
    expect(await page.locator('[data-test=funnel] .step').count()).toBe(2);
    // Each criterion names the data it reads, described from the catalog; key columns are left out.
    const data = page.locator('[data-test=criterion-data]');
    expect(await data.count()).toBe(2);
    expect(await data.first().innerText()).toMatch(/client\.birth_date\s+Дата рождения/);
    expect(await data.last().innerText()).toMatch(/client\.gender/);
    expect(await data.first().innerText()).not.toMatch(/client_id/);
    expect(await page.locator('[data-test=person-sql]').count()).toBe(0);
    await shot('1-created');

    // A criterion edited in words: the run starts again from the criteria.
    await user.editCriteria('Возраст от 20 до 35 лет\nМужчины');
    expect(await user.finished()).toBe('succeeded');
    // The history compares both: the criteria text, and the SQL generated for each revision.
    const diffLines = async (op: 'add' | 'del') => page.locator(`[data-test=diff] .${op}`).allInnerTexts();
    await page.waitForSelector(`[data-test=diff] .add:has-text("'M'")`);
    expect(await diffLines('del')).toEqual(
      expect.arrayContaining(['- Женщины', expect.stringMatching(/'F'/)]),
    );

    // SQL the guard refuses: the verdict shows before running, and the run button stays off.
    expect(await user.typeSql('delete from client')).toMatchObject({ accepted: false });
    expect(await page.isDisabled('[data-test=run-sql]')).toBe(true);
    await shot('2-guard-refuses');

    const sql = "select client_id from client where gender = 'F'";
    expect(await user.typeSql(sql)).toMatchObject({ accepted: true });
    // The editor (CodeMirror) highlights the SQL: the keyword is a token of its own, coloured unlike plain text.
    const keyword = page.locator('[data-test=sql-text] .cm-line span', { hasText: /^select$/ });
    expect(await keyword.count()).toBe(1);
    expect(await colourOf(keyword)).not.toBe(await colourOf(page.locator('[data-test=sql-text]')));
    await user.runSql(sql);
    expect(await user.finished()).toBe('succeeded');
    await page.waitForSelector(`[data-test=diff] .add:has-text("gender = 'F'")`);
    expect((await diffLines('del')).some((line) => line.includes('select t0.client_id as client_id'))).toBe(
      true,
    );
    // The criteria stay for reference, marked as no longer what runs.
    await page.waitForSelector('[data-test=person-sql]');
    expect(await page.locator('[data-test=criterion-data]').count()).toBe(0);

    await user.approve();
    await shot('3-approved');
    expect((await user.downloadIds()).sort()).toEqual(await f.adminIds(sql));
    expect({ edits: user.edits, editedChars: user.editedChars }).toEqual({
      edits: 2,
      editedChars: 'Возраст от 20 до 35 лет\nМужчины'.length + sql.length,
    });

    // The English toggle.
    await page.click('[data-test=lang]');
    await page.waitForSelector('text=Audience segments');
  });

  it('explains why a client is in or out, draws the portrait and shows what an edit changed', async () => {
    const user = new ConsoleUser(page);
    await user.open(f.service.url, f.key);
    await user.createSegment(OFFER, f.settings.warehouseSchema, 'Возраст от 25 до 45 лет\nЖенщины');
    expect(await user.finished()).toBe('succeeded');
    await page.waitForSelector('[data-test=run-diff-none]');
    const listed = (await f.api('GET', '/v1/segments?limit=1')).json() as { items: { id: string }[] };
    const segment = (await f.api('GET', `/v1/segments/${listed.items[0]?.id}`)).json() as { sql: string };
    const members = await f.adminIds(segment.sql);
    const all = await f.adminIds('select client_id from client');
    const outside = all.find((client) => !members.includes(client)) as string;

    const inside = await user.explain(members[0] as string);
    expect(inside.member).toBe(true);
    expect(inside.criteria).toHaveLength(2);
    expect(inside.criteria.every((c) => c.passed)).toBe(true);
    const out = await user.explain(outside);
    expect(out.member).toBe(false);
    expect(out.criteria.some((c) => !c.passed)).toBe(true);
    await card('explain', '4-explain');

    const lines = await user.portraitLines();
    expect(lines).toEqual(expect.arrayContaining(['Возраст', 'Продукты']));
    await page.click('[data-test=portrait-line]:has-text("Продукты")');
    await page.waitForSelector('[data-test=portrait-chart][data-buckets="8"]');
    await card('portrait', '5-portrait');

    // An edit of the definition: who entered and who left, attributed to the new revision.
    await user.editCriteria('Возраст от 30 до 45 лет\nЖенщины');
    expect(await user.finished()).toBe('succeeded');
    const counts = await page.waitForSelector('[data-test=run-diff-counts]');
    const now = await f.adminIds(
      ((await f.api('GET', `/v1/segments/${listed.items[0]?.id}`)).json() as { sql: string }).sql,
    );
    expect({
      entered: Number(await counts.getAttribute('data-entered')),
      left: Number(await counts.getAttribute('data-left')),
      stayed: Number(await counts.getAttribute('data-stayed')),
    }).toEqual({
      entered: now.filter((c) => !members.includes(c)).length,
      left: members.filter((c) => !now.includes(c)).length,
      stayed: now.filter((c) => members.includes(c)).length,
    });
    expect(await page.getAttribute('[data-test=run-diff-attribution]', 'data-attribution')).toBe(
      'definition',
    );
    await card('run-diff', '6-run-diff');
  });

  it('holds out a control group, takes an outcomes CSV and draws the conversion report', async () => {
    const user = new ConsoleUser(page);
    await user.open(f.service.url, f.key);
    await page.fill('[data-test=control-share]', '0.2');
    await user.createSegment(
      { ...OFFER, title: 'Конверсия с контрольной группой' },
      f.settings.warehouseSchema,
      'Возраст от 20 до 60 лет',
    );
    expect(await user.finished()).toBe('succeeded');
    const listed = (await f.api('GET', '/v1/segments?limit=1')).json() as { items: { id: string }[] };
    const id = listed.items[0]!.id;
    const exported = await f.api('GET', `/v1/segments/${id}/members`, { headers: { accept: 'text/csv' } });
    const rows = exported.text
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',') as [string, string]);
    const target = rows.filter(([, group]) => group === 'target').map(([client]) => client);
    const control = rows.filter(([, group]) => group === 'control').map(([client]) => client);
    expect(control.length).toBeGreaterThan(0);
    const converted = [...target.slice(0, Math.ceil(target.length / 4)), ...control.slice(0, 1)];

    await page.waitForSelector('[data-test=conversion][data-recorded="0"]');
    // A file with a bad line is refused whole, naming the line.
    await page.setInputFiles('[data-test=conversion-upload]', {
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('client_id,converted_at\n1,2026-03-02\n2,soon\n'),
    });
    expect(await page.innerText('[data-test=conversion-import-error]')).toMatch(/line 3/);
    await page.setInputFiles('[data-test=conversion-upload]', {
      name: 'outcomes.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`client_id,converted_at\n${converted.map((c) => `${c},2026-03-02`).join('\n')}\n`),
    });
    const imported = await page.waitForSelector('[data-test=conversion-imported]');
    expect(Number(await imported.getAttribute('data-stored'))).toBe(converted.length);
    await page.waitForSelector(`[data-test=conversion][data-recorded="${converted.length}"]`);
    await page.waitForSelector('[data-test=conversion-chart][data-bars="2"]');
    const rate = async (row: string) =>
      Number(await page.getAttribute(`[data-test=conversion-row-${row}]`, 'data-rate'));
    expect(await rate('target')).toBeCloseTo((converted.length - 1) / target.length, 10);
    expect(await rate('control')).toBeCloseTo(1 / control.length, 10);
    expect(await page.innerText('[data-test=conversion-lift]')).toMatch(/×/);
    await card('conversion', '7-conversion');
  });

  it('shows a needs_review run: its badge, the fragments marked in the text, a list filter; approves it', async () => {
    const user = new ConsoleUser(page);
    await user.open(f.service.url, f.key);
    if ((await page.innerText('[data-test=lang]')).trim() === 'English') await page.click('[data-test=lang]');
    const text = 'Возраст от 20 до 35 лет\nлюбит котиков';
    await user.createSegment({ ...OFFER, title: 'Кошатники' }, f.settings.warehouseSchema, text);
    expect(await user.finished()).toBe('needs_review');

    // The run executed (size, ids) and says what it did not understand, marked where it stands.
    expect(await page.innerText('[data-test=status]')).toBe('needs review');
    expect(Number((await page.innerText('[data-test=size]')).replace(/\D/g, ''))).toBeGreaterThan(0);
    expect(await page.locator('[data-test=unparsed]').allInnerTexts()).toEqual(['любит котиков']);
    expect((await page.innerText('[data-test=criteria-highlight]')).trim()).toBe(text);
    expect(await page.innerText('[data-test=needs-review-note]')).toMatch(/^Understood \d+% of the text\./);
    const coverage = Number(await page.getAttribute('[data-test=understanding]', 'data-coverage'));
    expect(coverage).toBeGreaterThan(0);
    expect(coverage).toBeLessThan(1);
    // Marked unlike the text around it.
    const mark = page.locator('[data-test=unparsed]');
    expect(
      await mark.evaluate((e) => (globalThis as unknown as Styles).getComputedStyle(e).backgroundColor),
    ).not.toBe('rgba(0, 0, 0, 0)');
    await shot('4-needs-review');

    // The list shows the badge and filters on the status.
    const statuses = () => page.locator('[data-test=segment-item] [data-test=segment-status]');
    await page.selectOption('[data-test=status-filter]', 'needs_review');
    await listShowsOnly('needs_review');
    expect(await statuses().allInnerTexts()).toEqual(['needs review']);
    expect(await page.locator('[data-test=segment-item] strong').allInnerTexts()).toEqual(['Кошатники']);
    await page.selectOption('[data-test=status-filter]', 'succeeded');
    await listShowsOnly('succeeded');
    await page.selectOption('[data-test=status-filter]', '');

    // A person who read the fragment approves the segment as it is.
    await user.approve();

    // The marking on its own: as written or in another case, a repeated fragment at its next place,
    // punctuation ignored, a fragment the text does not hold listed apart.
    const placed = (await page.evaluate(
      `import('/console/understanding.js').then((m) => m.unparsedSpans(${JSON.stringify('в Брно и В БРНО; Praha')}, ${JSON.stringify(['в Брно', 'в брно', ' Praha ', ';', 'Ostrava'])}))`,
    )) as { spans: { text: string; unparsed: boolean }[]; elsewhere: string[] };
    expect(placed).toEqual({
      spans: [
        { text: 'в Брно', unparsed: true },
        { text: ' и ', unparsed: false },
        { text: 'В БРНО', unparsed: true },
        { text: '; ', unparsed: false },
        { text: 'Praha', unparsed: true },
      ],
      elsewhere: ['Ostrava'],
    });
  });

  it('builds a 4-criterion segment with the keyboard alone, turning a fragment it misread into a row', async () => {
    const user = new ConsoleUser(page);
    await user.open(f.service.url, f.key);
    if ((await page.innerText('[data-test=lang]')).trim() === 'Русский') await page.click('[data-test=lang]');
    await user.createSegment(
      { ...OFFER, title: 'Конструктор' },
      f.settings.warehouseSchema,
      'Возраст от 20 до 70 лет\nлюбит котиков',
    );
    expect(await user.finished()).toBe('needs_review');

    // Free text fills the builder: the parsed criterion as chips, the fragment as an open chip.
    const builder = page.locator('[data-test=builder]');
    await builder.locator('[data-test=builder-row]').first().waitFor();
    const rowValues = (n: number) =>
      builder
        .locator('[data-test=builder-row]')
        .nth(n)
        .locator('input')
        .evaluateAll((inputs) => inputs.map((i) => (i as unknown as { value: string }).value));
    expect(await rowValues(0)).toEqual(['Возраст', 'от … до', '20', '70']);
    expect(await builder.locator('[data-test=fragment]').getAttribute('data-fragment')).toBe('любит котиков');
    expect(await builder.locator('[data-test=builder-run]').isDisabled()).toBe(true);
    await card('builder', '8-builder-parsed');

    // From here on the keyboard alone: Tab to a chip, type, Enter on a button.
    type Active = { document: { activeElement: { matches(s: string): boolean } | null } };
    const tabTo = async (selector: string) => {
      for (let i = 0; i < 40; i++) {
        const there = await page.evaluate(
          (s) => (globalThis as unknown as Active).document.activeElement?.matches(s) ?? false,
          selector,
        );
        if (there) return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`Tab never reached ${selector}`);
    };
    // A new row takes the focus once it is drawn: wait for it, as a person sees the caret move.
    const focusLands = (selector: string) =>
      page.waitForFunction(
        (s) => (globalThis as unknown as Active).document.activeElement?.matches(s) ?? false,
        selector,
      );
    const typeInto = async (text: string) => {
      await page.keyboard.press('Control+A');
      await page.keyboard.type(text);
    };
    await page.focus('[data-test=builder] [data-test=chip-kind]'); // where the person starts tabbing
    await tabTo('[data-test=builder-row]:nth-child(1) [data-test=chip-value]');
    await typeInto('25');
    await page.keyboard.press('Tab');
    await typeInto('60');
    // The fragment it could not read becomes a row of its own, focused on its attribute.
    await tabTo('[data-test=fragment-resolve]');
    await page.keyboard.press('Enter');
    await focusLands('[data-test=chip-attr]');
    await page.keyboard.type('Пол клиента');
    await page.keyboard.press('Tab');
    await page.keyboard.type('одно из');
    await page.keyboard.press('Tab');
    await page.keyboard.type('женщины');
    await tabTo('[data-test=builder-add]');
    await page.keyboard.press('Enter');
    await focusLands('[data-test=chip-attr]');
    await page.keyboard.type('Есть действующая карта');
    await page.keyboard.press('Tab');
    await page.keyboard.type('есть');
    await tabTo('[data-test=builder-add]');
    await page.keyboard.press('Enter');
    await focusLands('[data-test=chip-attr]');
    await page.keyboard.type('Есть действующая ипотека');
    await page.keyboard.press('Tab');
    await page.keyboard.type('есть');
    // Back to this row's include/exclude chip: exclude the mortgage holders.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Space');
    expect(await builder.locator('[data-test=builder-row][data-valid=false]').count()).toBe(0);
    expect(await builder.locator('[data-test=fragment]').count()).toBe(0);
    await card('builder', '8-builder');
    await tabTo('[data-test=builder-run]');
    await page.keyboard.press('Enter');

    await page.waitForSelector('[data-test=segment][data-status=succeeded]:has(h2 small:text-is("#2"))', {
      timeout: 120_000,
    });
    expect(await page.locator('[data-test=understanding]').count()).toBe(0);
    expect(await page.locator('[data-test=criteria-table] tr').count()).toBe(5);
    // The revision carries the structure and keeps the text; the run is the compiled structure.
    const segment = (await f.api('GET', `/v1/segments/${await segmentId()}`)).json();
    expect(segment.revisions[1]).toMatchObject({
      kind: 'criteria',
      criteria: 'Возраст от 20 до 70 лет\nлюбит котиков',
    });
    expect(
      segment.revisions[1].criteriaSpec.map((c: { kind: string; expr: unknown }) => [c.kind, c.expr]),
    ).toEqual([
      ['include', { type: 'attr', attr: 'age', cmp: { op: 'between', min: 25, max: 60 } }],
      [
        'include',
        {
          type: 'related',
          quantifier: 'some',
          where: { column: 'client.gender', cmp: { op: 'in', values: ['F'] } },
        },
      ],
      ['include', { type: 'attr', attr: 'has_card' }],
      ['exclude', { type: 'attr', attr: 'has_mortgage' }],
    ]);
    expect(segment.understanding).toEqual({ coverage: 1, unparsed: [] });
    expect(segment.result.size).toBe((await f.adminIds(segment.sql)).length);
    // The builder reads the new structure back as the same rows.
    await builder.locator('[data-test=builder-row]').nth(3).waitFor();
    expect(await rowValues(0)).toEqual(['Возраст', 'от … до', '25', '60']);
    expect(await rowValues(1)).toEqual(['Пол клиента', 'одно из', 'женщины']);
    expect(await builder.locator('[data-test=chip-kind]').nth(3).getAttribute('data-kind')).toBe('exclude');
    await shot('8-builder-run');
  });

  /** The id of the segment the console shows, from the list's selected item and the API. */
  async function segmentId(): Promise<string> {
    const list = (await f.api('GET', '/v1/segments?limit=1')).json() as { items: { id: string }[] };
    return list.items[0]!.id;
  }
});
