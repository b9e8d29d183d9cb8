// Shorthands for the parser's phrasing specs (criteria-parser.spec.ts, criteria-parser.phrasings.spec.ts):
// a row is a phrasing and what it means, compared through the fixture's `meaningOf`.
import type { Comparison, Span } from '@t2s/semantic';
import type { CriteriaParser } from '../criteria-parser';
import { stableKey, type Meaning, type ModelFixture, type Want } from './meaning';

export type Expected = Want | Want[] | { unparsed: string; criteria?: Want[] };
export type Row = [text: string, expected: Expected];

export const between = (min: number, max: number): Comparison => ({ op: 'between', min, max });
export const eq = (value: number): Comparison => ({ op: 'eq', value });
export const gt = (value: number): Comparison => ({ op: 'gt', value });
export const gte = (value: number): Comparison => ({ op: 'gte', value });
export const lt = (value: number): Comparison => ({ op: 'lt', value });
export const lte = (value: number): Comparison => ({ op: 'lte', value });
export const months = (n: number): Span => ({ n, unit: 'month' });
export const days = (n: number): Span => ({ n, unit: 'day' });

/** An attribute compared (or, for a yes/no attribute, held). */
export const attr = (name: string, cmp?: Comparison, more: Partial<Want> = {}): Want => ({
  attr: name,
  ...(cmp ? { cmp } : {}),
  ...more,
});
/** Clients excluded for a yes/no attribute ("без кредитной карты") or a comparison. */
export const no = (name: string, more: Partial<Want> = {}): Want => ({
  kind: 'exclude',
  attr: name,
  ...more,
});
/** Clients with rows of some column's values ("женщины", "из Краснодарского края"). */
export const value = (column: string, values: string | string[], more: Partial<Want> = {}): Want => ({
  where: { [column]: values },
  ...more,
});
export const mcc = (code: string | string[]) => ({ 'ref_mcc_group.mcc_group_code': code });
export const region = (name: string | string[]) => value('ref_region.region_name', name);
export const gender = (code: 'M' | 'F') => value('client.gender', code);

/** The phrasing parses to what the row expects, meaning for meaning, and leaves out what it says. */
export function checkPhrasing(
  parser: CriteriaParser,
  bank: ModelFixture,
  text: string,
  expected: Expected,
): void {
  const result = parser.parse(text);
  const wants = Array.isArray(expected)
    ? expected
    : 'unparsed' in expected
      ? (expected.criteria ?? [])
      : [expected];
  const sorted = (meanings: Meaning[]) =>
    [...meanings].sort((a, b) => stableKey(a).localeCompare(stableKey(b)));
  expect(sorted(result.criteria.map((c) => bank.meaningOf(c.spec)))).toEqual(sorted(wants.map(bank.wanted)));
  if (!Array.isArray(expected) && 'unparsed' in expected) {
    expect(result.unparsed.join(' | ').toLowerCase()).toContain(expected.unparsed.toLowerCase());
  }
}
