// The review console in headless Chromium (Debian's chromium, driven by playwright-core) against the
// whole service: create a segment from an offer, edit a criterion, see the guard refuse an SQL edit,
// run an accepted one, approve, download the CSV. Screenshots go to tmp/console-screenshots/.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from '@t2s/process';
import { openServiceFixture, type ServiceFixture } from './testing/service-fixture';

jest.setTimeout(180_000);

const CHROMIUM = process.env['CHROMIUM_BIN'] ?? '/usr/bin/chromium';
const SHOTS = join(REPO_ROOT, 'tmp/console-screenshots');

describe('the review console in a browser', () => {
  let f: ServiceFixture;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    f = await openServiceFixture(300);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await f?.close();
  });

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const revisionDone = (revision: number) =>
    page.waitForSelector(`[data-test=segment][data-status=succeeded] h2 small:text("#${revision}")`, {
      timeout: 60_000,
    });

  it('creates, edits, is refused by the guard, approves and downloads a segment', async () => {
    await page.goto(`${f.service.url}/console/`);
    await page.fill('[data-test=api-key]', f.key);
    await page.fill('[data-test=warehouse]', f.settings.warehouseSchema);
    await page.fill('[data-test=offer-title]', 'Молодёжная кредитная карта');
    await page.fill('[data-test=offer-criteria]', 'Возраст от 20 до 35 лет\nЖенщины');
    await page.click('[data-test=create]');
    await revisionDone(1);
    await page.waitForSelector('[data-test=funnel] .step');
    expect(await page.locator('[data-test=funnel] .step').count()).toBe(2);
    await shot('1-created');

    // A criterion edited in words: the run starts again from the criteria.
    await page.fill('[data-test=criteria-text]', 'Возраст от 20 до 35 лет\nМужчины');
    await page.click('[data-test=rerun-criteria]');
    await revisionDone(2);

    // SQL the guard refuses: the verdict shows before running, and the run button stays off.
    await page.fill('[data-test=sql-text]', 'delete from client');
    await page.waitForSelector('[data-test=guard-verdict].error');
    expect(await page.isDisabled('[data-test=run-sql]')).toBe(true);
    await shot('2-guard-refuses');

    await page.fill('[data-test=sql-text]', "select client_id from client where gender = 'F'");
    await page.waitForSelector('[data-test=guard-verdict].ok');
    await page.click('[data-test=run-sql]');
    await revisionDone(3);
    await page.waitForSelector('[data-test=diff] .add');

    await page.click('[data-test=approve]');
    await page.waitForSelector('[data-test=approved]');
    await shot('3-approved');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=csv]')]);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const expected = await f.adminIds("select client_id from client where gender = 'F'");
    expect(csv.trimEnd().split('\n').slice(1).sort()).toEqual(expected);

    // The English toggle.
    await page.click('[data-test=lang]');
    await page.waitForSelector('text=Audience segments');
  });
});
