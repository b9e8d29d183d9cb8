import { readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Offer, TerminalSegmentStatus } from '@t2s/contracts';

const CHROMIUM = process.env['CHROMIUM_BIN'] ?? '/usr/bin/chromium';
const RUN_TIMEOUT_MS = 300_000;

/** Headless Debian chromium as the console's specs and the review bench drive it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

/**
 * A person at the review console, as a page object: every step goes through the page's own fields and
 * buttons (data-test attributes), never the API. Counts the characters typed into the editable
 * criteria and SQL, the edits a reviewer makes.
 */
export class ConsoleUser {
  /** Characters typed into the criteria and SQL editors since the last `resetCounts()`. */
  editedChars = 0;
  /** Criteria and SQL edits run since the last `resetCounts()`. */
  edits = 0;
  private revision = 0;

  constructor(readonly page: Page) {}

  /** Opens the console in `lang`: the language a person picked persists in the browser, so it is set first. */
  async open(baseUrl: string, key: string, lang: 'ru' | 'en' = 'ru'): Promise<void> {
    await this.page.goto(`${baseUrl}/console/`);
    type Storage = {
      localStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void };
    };
    const switched = await this.page.evaluate((wanted) => {
      const { localStorage } = globalThis as unknown as Storage;
      if ((localStorage.getItem('t2s.lang') ?? 'ru') === wanted) return false;
      localStorage.setItem('t2s.lang', wanted);
      return true;
    }, lang);
    if (switched) await this.page.reload();
    await this.page.fill('[data-test=api-key]', key);
  }

  resetCounts(): void {
    this.editedChars = 0;
    this.edits = 0;
  }

  /** Fills the new-segment form from an offer (and criteria text, if any) and creates it; waits for its view. */
  async createSegment(offer: Offer, warehouse: string, criteria?: string): Promise<void> {
    const page = this.page;
    // The picker lists the served warehouses once the key is read.
    await page.waitForSelector(`select[data-test=warehouse] option[value=${JSON.stringify(warehouse)}]`, {
      state: 'attached',
    });
    await page.selectOption('[data-test=warehouse]', warehouse);
    await page.fill('[data-test=offer-title]', offer.title);
    await page.fill('[data-test=product]', offer.product.type);
    await page.fill('[data-test=product-name]', offer.product.name ?? '');
    await page.selectOption('[data-test=channel]', offer.channel);
    await page.fill('[data-test=offer-description]', offer.description ?? '');
    await page.fill('[data-test=offer-conditions]', (offer.conditions ?? []).join('\n'));
    await page.fill('[data-test=offer-criteria]', criteria ?? '');
    await page.click('[data-test=create]');
    this.revision = 1;
    await page.waitForSelector(`[data-test=segment] h2:has-text(${JSON.stringify(offer.title)})`);
  }

  /** Waits until the shown revision's run finished; its status (succeeded, needs_review or failed). */
  async finished(): Promise<TerminalSegmentStatus> {
    const done = await this.page.waitForSelector(
      `[data-test=segment]:is([data-status=succeeded], [data-status=needs_review], [data-status=failed]):has(h2 small:text-is("#${this.revision}"))`,
      { timeout: RUN_TIMEOUT_MS },
    );
    return (await done.getAttribute('data-status')) as TerminalSegmentStatus;
  }

  async editCriteria(text: string): Promise<void> {
    await this.page.fill('[data-test=criteria-text]', text);
    await this.page.click('[data-test=rerun-criteria]');
    this.countEdit(text);
  }

  /** Types SQL into the editor; the guard's verdict, shown before anything runs. */
  async typeSql(sql: string): Promise<{ accepted: boolean; text: string }> {
    await this.page.fill('[data-test=sql-text]', sql);
    await this.page.keyboard.press('Escape'); // closes the completion list, as a person would
    // The verdict follows the text after a debounce: wait for the one that names this text, and read
    // that node (an element found earlier may be the previous verdict's, since replaced).
    const verdict = await this.page.waitForFunction((expected) => {
      type Verdict = { dataset: { sql?: string }; className: string; innerText: string };
      const doc = (globalThis as unknown as { document: { querySelector(s: string): Verdict | null } })
        .document;
      const node = doc.querySelector('[data-test=guard-verdict]');
      return node?.dataset.sql === expected
        ? { accepted: node.className.split(' ').includes('ok'), text: node.innerText }
        : null;
    }, sql);
    return (await verdict.jsonValue()) as { accepted: boolean; text: string };
  }

  async runSql(sql: string): Promise<void> {
    await this.page.click('[data-test=run-sql]');
    this.countEdit(sql);
  }

  async approve(): Promise<void> {
    await this.page.click('[data-test=approve]');
    await this.page.waitForSelector('[data-test=approved]');
  }

  /** The segment's ids, through the console's CSV download. */
  async downloadIds(): Promise<string[]> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.click('[data-test=csv]'),
    ]);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    return csv.trimEnd().split('\n').slice(1);
  }

  /** Asks why a client is in or out; the verdict and each criterion's mark, as the checklist shows them. */
  async explain(
    clientId: string,
  ): Promise<{ member: boolean; criteria: { passed: boolean; text: string }[] }> {
    const page = this.page;
    await page.fill('[data-test=explain-client]', clientId);
    await page.press('[data-test=explain-client]', 'Enter');
    const verdict = await page.waitForSelector('[data-test=explain-verdict]');
    const items = page.locator('[data-test=explain-criterion]');
    const criteria = [];
    for (let i = 0; i < (await items.count()); i++) {
      const item = items.nth(i);
      criteria.push({
        passed: (await item.getAttribute('data-passed')) === 'true',
        text: await item.innerText(),
      });
    }
    return { member: (await verdict.getAttribute('data-member')) === 'true', criteria };
  }

  /** Waits for the portrait's chart; the labels of its lines (tabs). */
  async portraitLines(): Promise<string[]> {
    await this.page.waitForSelector('[data-test=portrait-chart]:not([data-buckets="0"])');
    return this.page.locator('[data-test=portrait-line]').allInnerTexts();
  }

  private countEdit(text: string): void {
    this.edits += 1;
    this.editedChars += text.length;
    this.revision += 1;
  }
}
