// The value linker as the parser uses it: words the model's own lexicon leaves unread, read as values
// written in another case, script or language, on the committed catalog snapshots with the model each
// warehouse is read with (hand over bootstrap; the bootstrap alone for Bank Marketing). No database.
import type { SnapshotWarehouse } from '@t2s/catalog/testing';
import type { Expr } from '@t2s/semantic';
import { CriteriaParser } from '../../criteria-parser';
import { snapshotWarehouseModel } from '../../testing/snapshot-model.fixture';

const parserFor = (warehouse: SnapshotWarehouse) => new CriteriaParser(snapshotWarehouseModel(warehouse));

/** `table.column=value` of every equality or membership condition of the criteria. */
function valuesOf(exprs: Expr[]): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    const cmp = record['cmp'] as { op: string; value?: unknown; values?: unknown[] } | undefined;
    if (typeof record['column'] === 'string' && cmp && (cmp.op === 'eq' || cmp.op === 'in'))
      for (const v of cmp.op === 'eq' ? [cmp.value] : (cmp.values ?? []))
        found.push(`${record['column']}=${String(v)}`);
    Object.values(record).forEach(visit);
  };
  visit(exprs);
  return found.sort();
}

describe('values named in another case, script or language', () => {
  const berka = parserFor('berka');
  const marketing = parserFor('bank_marketing');

  it.each([
    ['клиенты из Праги с кредитом', 'district.a2=Hl.m. Praha'],
    ['владельцы счетов в Брно', 'district.a2=Brno - mesto'],
    ['клиенты с золотой картой', 'card.type=gold'],
    ['женщины из Северной Моравии', 'district.a3=north Moravia'],
  ])('Berka: %s', (text, value) => {
    const read = berka.parse(text);
    expect(valuesOf(read.criteria.map((c) => c.spec.expr))).toContain(value);
    expect(read.unparsed).toEqual([]);
  });

  it.each([
    ['женатые клиенты', 'client.marital=married'],
    ['студенты', 'client.job=student'],
  ])('Bank Marketing, read with the bootstrap alone: %s', (text, value) => {
    expect(valuesOf(marketing.parse(text).criteria.map((c) => c.spec.expr))).toContain(value);
  });

  it('puts a place on the client, who has it of their own, not on the loan it is written next to', () => {
    const read = berka.parse('клиенты из Праги с кредитом');
    const place = read.criteria.find((c) => JSON.stringify(c.spec.expr).includes('Hl.m. Praha'));
    expect(place?.spec.expr).toMatchObject({ type: 'related' });
  });

  it.each([
    ['a code as an ordinary word', 'Pension credited in the last 3 months'],
    ['a synonym in the language of the labels', 'последний вход более 90 дней назад'],
    ['a word that names one word of a long value', 'семьи с 4 детьми'],
    ['a word with senses in several tables', 'любят путешествовать'],
  ])('links no value for %s', (_why, text) => {
    const demo = parserFor('bank');
    const read = demo.parse(text);
    for (const value of valuesOf(read.criteria.map((c) => c.spec.expr)))
      expect(value).not.toMatch(/CREDIT|OVERDUE|семьи|TRAVEL/);
  });
});

describe('a value on a column that never holds it', () => {
  it('is not read: the words are reported instead of a segment of nobody', () => {
    const read = parserFor('berka').parse('owners with a gold card');
    expect(valuesOf(read.criteria.map((c) => c.spec.expr))).not.toContain('card.type=OWNER');
  });
});

describe('"this tier and above" on an ordered code list (the model\'s orders)', () => {
  it.each([
    ['bank_marketing', 'clients with secondary education or higher', ['secondary', 'tertiary']],
    ['bank', 'владельцы карт уровня Gold и выше', ['GOLD', 'PLATINUM', 'PREMIUM']],
    ['bank', 'a card not higher than GOLD', ['CLASSIC', 'GOLD']],
  ] as const)('%s: %s', (warehouse, text, codes) => {
    const values = valuesOf(
      parserFor(warehouse)
        .parse(text)
        .criteria.map((c) => c.spec.expr),
    );
    expect(values.map((v) => v.split('=')[1])).toEqual(expect.arrayContaining([...codes]));
    expect(values).toHaveLength(codes.length);
  });
});
