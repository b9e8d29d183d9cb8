// The review console shows where a criterion adopted from past campaigns comes from (issue 17): under its
// text, each campaign nearest first with the day it was approved, and how its threshold was taken. The
// segment is made through the console, then its stored criteria are marked as the adoption marks them
// (`source: 'precedent'` and a `provenance`), so the spec needs no precedent in the store. Its screenshot
// goes to tmp/console-screenshots/ with the others.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Criterion, Offer, SegmentCriteria } from '@t2s/contracts';
import { REPO_ROOT } from '@t2s/process';
import { ConsoleUser, launchChromium } from './testing/console-user';
import { openServiceFixture, type ServiceFixture } from './testing/service-fixture';

jest.setTimeout(180_000);

const SHOTS = join(REPO_ROOT, 'tmp/console-screenshots');
const OFFER: Offer = {
  title: 'Кредитная карта, как осенью',
  product: { type: 'credit_card', name: 'Кредитная карта с кешбэком' },
  channel: 'PUSH',
};

/** Three campaigns, nearest first, whose age bounds differ: the threshold is their median. */
const MEDIAN: Criterion['provenance'] = {
  precedents: [
    // A datetime as an import may hold it: the console shows its day.
    {
      id: 'p-0912',
      campaign: 'CM-2026-0912',
      approvedAt: '2026-09-14T11:20:00+03:00',
      approvedBy: 'Отдел CRM',
    },
    { id: 'p-0415', campaign: 'CM-2026-0415', approvedAt: '2026-04-20' },
    { id: 'p-1103', campaign: 'CM-2025-1103' },
  ],
  adapted: 'median',
};
const AS_IS: Criterion['provenance'] = {
  precedents: [{ id: 'p-0701', campaign: 'CM-2026-0701', approvedAt: '2026-07-03' }],
  adapted: 'as_is',
};

describe('the review console shows the provenance of a criterion adopted from past campaigns', () => {
  let f: ServiceFixture;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    f = await openServiceFixture(300);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await f?.close();
  });

  it('names each campaign with the day it was approved, and the median, in Russian and English', async () => {
    const user = new ConsoleUser(page);
    await user.open(f.service.url, f.key, 'ru');
    await user.createSegment(OFFER, f.settings.warehouseSchema, 'Возраст от 20 до 35 лет\nЖенщины');
    expect(await user.finished()).toBe('succeeded');

    // The criteria as the adoption stores them: the first from three campaigns, the second from one.
    const listed = (await f.api('GET', '/v1/segments?limit=1')).json() as { items: { id: string }[] };
    const id = listed.items[0]!.id;
    const criteria = (await f.api('GET', `/v1/segments/${id}`)).json().criteria as SegmentCriteria;
    expect(criteria.items).toHaveLength(2);
    const [age, gender] = criteria.items as [Criterion, Criterion];
    const items = [
      { ...age, source: 'precedent', provenance: MEDIAN },
      { ...gender, source: 'precedent', provenance: AS_IS },
    ];
    const schema = f.settings.env?.['SERVICE_DATABASE_SCHEMA'];
    expect(schema).toBeDefined();
    // As a write through the store would, the update moves `updated_at`: the gateway's cached view of a
    // finished segment is keyed by it.
    const { rowCount } = await f.pool.query(
      `update "${schema}".segment set criteria = $2, updated_at = now() where id = $1`,
      [id, JSON.stringify({ text: criteria.text, items })],
    );
    expect(rowCount).toBe(1);
    // The API shows them as stored.
    const shown = (await f.api('GET', `/v1/segments/${id}`)).json().criteria as SegmentCriteria;
    expect(shown.items.map((c) => [c.source, c.provenance])).toEqual([
      ['precedent', MEDIAN],
      ['precedent', AS_IS],
    ]);

    await user.open(f.service.url, f.key, 'ru');
    await page.click(`[data-test=segment-item]:has-text(${JSON.stringify(OFFER.title)})`);
    const provenance = page.locator('[data-test=criterion-provenance]');
    await provenance.first().waitFor();
    expect(await provenance.count()).toBe(2);
    const campaigns = (at: number) =>
      provenance.nth(at).locator('[data-test=provenance-campaign]').allInnerTexts();
    expect(await campaigns(0)).toEqual([
      'Из кампании CM-2026-0912 · утверждена 2026-09-14',
      'Из кампании CM-2026-0415 · утверждена 2026-04-20',
      'Из кампании CM-2025-1103',
    ]);
    expect(await provenance.nth(0).locator('[data-test=provenance-adapted]').innerText()).toBe(
      'порог — медиана по 3 кампаниям',
    );
    expect(
      await provenance.nth(0).locator('[data-test=provenance-campaign]').first().getAttribute('title'),
    ).toBe('утвердил(а): Отдел CRM');
    expect(await campaigns(1)).toEqual(['Из кампании CM-2026-0701 · утверждена 2026-07-03']);
    expect(await provenance.nth(1).locator('[data-test=provenance-adapted]').count()).toBe(0);
    // The line stands under the criterion it belongs to, beside the source badge.
    const rows = page.locator('[data-test=criteria-table] tr:has([data-test=criterion-provenance])');
    expect(await rows.nth(0).innerText()).toContain(age.text);
    expect(await rows.nth(1).innerText()).toContain(gender.text);
    expect(await page.locator('[data-test=criterion-source]').allInnerTexts()).toEqual([
      'из прецедента',
      'из прецедента',
    ]);
    // The criteria builder still reads both criteria as rows.
    await page.waitForSelector('[data-test=builder-row]');
    expect(await page.locator('[data-test=builder-row]').count()).toBe(2);
    await page
      .locator('.card:has([data-test=criteria-table])')
      .screenshot({ path: join(SHOTS, '9-provenance.png') });

    await page.click('[data-test=lang]');
    await page.waitForSelector('[data-test=provenance-campaign]:has-text("From campaign")');
    expect(await campaigns(0)).toEqual([
      'From campaign CM-2026-0912 · approved 2026-09-14',
      'From campaign CM-2026-0415 · approved 2026-04-20',
      'From campaign CM-2025-1103',
    ]);
    expect(await provenance.nth(0).locator('[data-test=provenance-adapted]').innerText()).toBe(
      'threshold: the median of 3 campaigns',
    );
    expect(await page.locator('[data-test=criterion-source]').first().innerText()).toBe('from precedent');
    expect(pageErrors).toEqual([]);
  });
});
