import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import * as contracts from '@t2s/contracts';
import {
  CONSOLE_CONTRACT_COMMAND,
  CONSOLE_CONTRACT_FILE,
  consoleValueLists,
  knownProductTypes,
  renderConsoleContract,
} from './console-contract';

const CONSOLE_ROOT = join(__dirname, '../../console');

/** Every value list @t2s/contracts exports (`OFFER_CHANNELS` ...), and the known product lines. */
function contractLists(): [string, readonly string[]][] {
  const exported = Object.entries(contracts as Record<string, unknown>).flatMap(
    ([name, value]): [string, readonly string[]][] =>
      /^[A-Z][A-Z0-9_]*$/.test(name) &&
      Array.isArray(value) &&
      value.length > 1 &&
      value.every((v) => typeof v === 'string')
        ? [[name, value as string[]]]
        : [],
  );
  return [...exported, ['OfferProduct.type known values', knownProductTypes()]];
}

/** The string-array literals of a console source: `['a', 'b']` and the like. */
function stringArrays(source: string): string[][] {
  const found = source.matchAll(/\[\s*((?:'[^'\n]*'\s*,\s*)+'[^'\n]*'\s*,?\s*)\]/g);
  return [...found].map((m) => [...(m[1] as string).matchAll(/'([^'\n]*)'/g)].map((v) => v[1] as string));
}

/** The console's texts: i18n.js imports nothing, so it runs as a script once its `export` is dropped. */
function consoleTexts(): Record<'ru' | 'en', Record<string, unknown>> {
  const source = readFileSync(join(CONSOLE_ROOT, 'i18n.js'), 'utf8').replace(/^export const /m, 'const ');
  return runInNewContext(`${source}\nTEXTS;`) as Record<'ru' | 'en', Record<string, unknown>>;
}

const sorted = (values: Iterable<string>) => [...values].sort();

describe("the console's contract module", () => {
  it(`is the contract as it stands (if not, run ${CONSOLE_CONTRACT_COMMAND})`, () => {
    // The diff names the value the console is missing; the command writes the file again.
    expect(readFileSync(CONSOLE_CONTRACT_FILE, 'utf8')).toBe(renderConsoleContract());
  });

  it('holds the lists the console iterates, from the contract', () => {
    const lists = new Map(consoleValueLists().map((l) => [l.name, l.values]));
    expect(lists.get('OFFER_CHANNELS')).toEqual(contracts.OFFER_CHANNELS);
    expect(lists.get('SEGMENT_STATUSES')).toEqual(contracts.SEGMENT_STATUSES);
    expect(lists.get('STAGES')).toEqual(contracts.STAGES);
    expect(lists.get('EXECUTED_SEGMENT_STATUSES')).toEqual(contracts.EXECUTED_SEGMENT_STATUSES);
    expect(lists.get('OFFER_PRODUCT_TYPES')).toEqual(expect.arrayContaining(['credit_card', 'mortgage']));
  });

  it('prints each list as prettier does: one line when it fits, else a value a line', () => {
    const text = renderConsoleContract();
    expect(text).toContain("export const OFFER_CHANNELS = ['SMS', 'PUSH', 'EMAIL', 'CALL', 'MESSENGER'];\n");
    expect(text).toMatch(/export const OFFER_PRODUCT_TYPES = \[\n {2}'credit_card',\n/);
    expect(text.split('\n').every((line) => line.length <= 110)).toBe(true);
  });
});

describe('the console sources', () => {
  const sources = readdirSync(CONSOLE_ROOT)
    .filter((f) => f.endsWith('.js') && join(CONSOLE_ROOT, f) !== CONSOLE_CONTRACT_FILE)
    .map((f) => ({ file: f, source: readFileSync(join(CONSOLE_ROOT, f), 'utf8') }));

  it('spell out no list of the contract: they import it from contract.js', () => {
    const lists = contractLists();
    const copies = sources.flatMap(({ file, source }) =>
      stringArrays(source).flatMap((array) =>
        lists
          .filter(([, values]) => sorted(new Set(values)).join() === sorted(new Set(array)).join())
          .map(([name]) => `${file}: [${array.join(', ')}] is ${name}`),
      ),
    );
    expect(copies).toEqual([]);
    // The check sees a copy: the list the console once held without MESSENGER, and the one with it.
    const channels = contractLists().find(([name]) => name === 'OFFER_CHANNELS')?.[1];
    expect(stringArrays("const CHANNELS = ['SMS', 'PUSH', 'EMAIL', 'CALL', 'MESSENGER'];")).toEqual([
      channels,
    ]);
  });

  it('label every status, stage and origin in both languages, and nothing the contract lacks', () => {
    const provenance = contracts.buildOpenApiDocument().components?.schemas?.['CriterionProvenance'] as {
      properties: { adapted: { enum: string[] } };
    };
    for (const texts of Object.values(consoleTexts())) {
      const keys = (field: string) => sorted(Object.keys(texts[field] as object));
      expect(keys('status')).toEqual(sorted(contracts.SEGMENT_STATUSES));
      expect(keys('stages')).toEqual(sorted(contracts.STAGES));
      expect(keys('origins')).toEqual(sorted(contracts.SEGMENT_ORIGINS));
      // Only some criterion sources and adaptations are shown (a precedent's; median and union).
      expect(contracts.CRITERION_SOURCES).toEqual(expect.arrayContaining(keys('sources')));
      expect(provenance.properties.adapted.enum).toEqual(expect.arrayContaining(keys('adapted')));
    }
  });
});
