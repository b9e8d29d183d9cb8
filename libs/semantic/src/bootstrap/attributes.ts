import type { CatalogColumn, CatalogTable } from '@t2s/catalog';
import type { Attribute, Terms } from '../semantic-model.schema';
import { commentCodes, yesCode } from './comment-codes';
import { capitalised, commentHead, headTerms, languageOf, mergeTerms } from './comment-words';
import { dateRole, isDateType, tableDates } from './date-roles';
import { CURRENCY_UNITS, perMonth, unitFromComment } from './units';
import { isBooleanType, isNumericType, isTextType, nameWords, type WarehouseView } from './warehouse-view';

const AGE_LABEL = { ru: 'Возраст', en: 'Age' };

/** The words an age is named by in criteria text, whatever the warehouse. */
const AGE_TERMS: Terms = {
  ru: ['возраст', 'в возрасте', 'старше', 'младше', 'лет'],
  en: ['age', 'aged', 'years old', 'older than', 'younger than'],
};

/** Label and terms of a column or table: its comment's head, and its name's words in English when the comment is Russian. */
function naming(comment: string | null, name: string): { label: Attribute['label']; terms: Terms } {
  const head = commentHead(comment);
  const named = nameWords(name);
  if (!head)
    return { label: { ru: capitalised(named), en: capitalised(named) }, terms: { ru: [], en: [named] } };
  const russian = languageOf(head) === 'ru';
  const label = { ru: capitalised(head), en: capitalised(russian ? named : head) };
  const terms = headTerms(head);
  return {
    label,
    terms: russian && named.includes(' ') ? mergeTerms(terms, { ru: [], en: [named] }) : terms,
  };
}

/**
 * The business attributes the catalog alone gives:
 *   - each numeric, yes/no and date column of the client table and of tables with one row per client,
 *     as a `scalar` (numbers with their unit), a boolean (true, or the "yes" code), or a date;
 *   - the client's age from a birth date, and years since the client table's own start date (tenure);
 *   - "has a row in T" for each table whose rows belong to a client.
 * Keys, personal data the bank keeps from filtering and columns not for targeting give none.
 */
export function bootstrapAttributes(view: WarehouseView): Attribute[] {
  const attributes: Attribute[] = [];
  const names = new Set<string>();
  const add = (attribute: Attribute) => {
    let name = attributeName(attribute.name);
    for (let i = 2; names.has(name); i++) name = `${attribute.name}_${i}`;
    names.add(name);
    attributes.push({ ...attribute, name });
  };
  for (const table of view.profileTables()) {
    for (const column of table.columns) {
      if (view.isKey(table, column) || !view.isTargetable(column)) continue;
      const attribute = columnAttribute(view, table, column);
      if (attribute) add(attribute);
      const fact = isNumericType(column.type) ? sentinelFact(table, column) : null;
      if (fact) add(fact);
    }
  }
  const entity = view.table(view.entity.table);
  const start = entity ? tableDates(entity, (c) => view.isTargetable(c)).date : undefined;
  if (entity && start) {
    const column = entity.columns.find((c) => c.name === start);
    if (column && view.isTargetable(column)) add(yearsSince(entity, column));
  }
  // A number in years with no attribute named next to it is an age, when the warehouse has one.
  const age = attributes.find((a) => a.name === 'age' && a.unit === 'year');
  if (age) age.defaultForUnit = 'year';
  // An amount of money with no attribute named next to it ("overdrawn by more than 500 euros") is the
  // one attribute counted in money, when the warehouse has only one.
  const money = attributes.filter((a) => a.unit !== undefined && CURRENCY_UNITS.has(a.unit));
  if (money.length === 1) (money[0] as Attribute).defaultForUnit = (money[0] as Attribute).unit;
  for (const table of view.ownedTables()) add(hasRow(view, table));
  return attributes;
}

/** A name the model accepts (`[a-z][a-z0-9_]*`) from a column's or table's name. */
function attributeName(name: string): string {
  const plain = name.toLowerCase().replace(/[^a-z0-9_]+/gu, '_');
  return /^[a-z]/u.test(plain) ? plain : `a_${plain}`;
}

function columnAttribute(view: WarehouseView, table: CatalogTable, column: CatalogColumn): Attribute | null {
  const ref = `${table.name}.${column.name}`;
  const { label, terms } = naming(column.comment, column.name);
  const base = { label, terms, phrases: [], refinements: [] };
  if (isNumericType(column.type)) {
    const unit = unitFromComment(column.comment);
    const isAge = unit === 'year' && /^(возраст|age)$/iu.test(commentHead(column.comment));
    return {
      ...base,
      name: isAge ? 'age' : column.name,
      type: 'number',
      ...(isAge ? { label: AGE_LABEL, terms: mergeTerms(terms, AGE_TERMS) } : {}),
      ...(unit ? { unit } : {}),
      ...(unit && ['rub', 'eur', 'usd', 'czk'].includes(unit) && perMonth(column.comment)
        ? { per: 'month' }
        : {}),
      measure: { kind: 'scalar', table: table.name, sql: `{t}.${column.name}` },
    };
  }
  const codes = isTextType(column.type) ? commentCodes(column.comment) : null;
  const yes = isBooleanType(column.type) ? true : codes ? yesCode(codes) : undefined;
  if (yes !== undefined) {
    // "Has housing loan?": "housing loan" names it too ("clients with a housing loan").
    const fact = /^(?:has|have|is|are|does|do|есть|имеет)\s+(.{3,})$/iu.exec(
      commentHead(column.comment),
    )?.[1];
    return {
      ...base,
      ...(fact ? { terms: mergeTerms(terms, headTerms(fact)) } : {}),
      name: column.name,
      type: 'boolean',
      measure: {
        kind: 'related',
        table: table.name,
        quantifier: 'some',
        where: { column: ref, cmp: { op: 'eq', value: yes } },
      },
    };
  }
  if (isDateType(column.type)) {
    const role = dateRole(column);
    if (role === 'birth') return age(table, column);
    if (role === 'updated' || role === 'report') return null;
    return {
      ...base,
      name: column.name,
      type: 'date',
      date: ref,
      measure: { kind: 'scalar', table: table.name, sql: `{t}.${column.name}` },
    };
  }
  return null;
}

/**
 * A number with a value that means a fact: "pdays ... (numeric, -1 means client was not previously
 * contacted)". The fact, said positively ("previously contacted": pdays is not -1), is a yes/no
 * attribute, so "never contacted before" reads as it negated.
 */
function sentinelFact(table: CatalogTable, column: CatalogColumn): Attribute | null {
  const match = /(?<![\w.])(-?\d+)\s+(?:means|означает)\s+(?:that\s+)?(.+?)(?=[;)]|\.\s|\.$|$)/iu.exec(
    column.comment ?? '',
  );
  if (!match) return null;
  const value = Number(match[1]);
  const meaning = (match[2] as string)
    .replace(
      /^(?:the\s+)?(?:client|customer|клиент)\s+(?:was|is|has been|had been|has|had|был[аи]?)\s+/iu,
      '',
    )
    .trim();
  const negation = /(?<!\p{L})(?:not|no|never|не|нет|ни)\s+/iu;
  const positive = meaning.replace(negation, '').replace(/\s+/gu, ' ').trim();
  if (positive.length < 3 || positive.split(' ').length > 4) return null;
  const negated = negation.test(meaning);
  const phrase = positive.toLowerCase();
  const label = capitalised(phrase);
  return {
    name: attributeName(phrase.replace(/\s+/gu, '_')),
    label: { ru: label, en: label },
    type: 'boolean',
    // "never contacted by any previous campaign": the participle alone names the fact too.
    terms: mergeTerms(
      headTerms(phrase),
      ...timeAdverbVariants(phrase).map(headTerms),
      headTerms(phrase.split(' ').at(-1) as string),
    ),
    phrases: [],
    refinements: [],
    measure: {
      kind: 'related',
      table: table.name,
      quantifier: 'some',
      where: { column: `${table.name}.${column.name}`, cmp: { op: negated ? 'ne' : 'eq', value } },
    },
  };
}

/** "previously contacted" is also "contacted before", "contacted earlier", "ever contacted". */
function timeAdverbVariants(phrase: string): string[] {
  const match = /^(previously|before|earlier|ever|ранее|раньше|прежде)\s+(.+)$/u.exec(phrase);
  if (!match) return [];
  const rest = match[2] as string;
  return languageOf(rest) === 'ru'
    ? [`${rest} ранее`, `${rest} раньше`]
    : [`${rest} before`, `${rest} previously`, `${rest} earlier`, `ever ${rest}`];
}

/** The client's age in whole years at the warehouse's "today", from a birth date. */
function age(table: CatalogTable, column: CatalogColumn): Attribute {
  return {
    name: 'age',
    label: AGE_LABEL,
    unit: 'year',
    type: 'number',
    terms: AGE_TERMS,
    phrases: [],
    refinements: [],
    date: `${table.name}.${column.name}`,
    measure: { kind: 'scalar', table: table.name, sql: `extract(year from age({now}, {t}.${column.name}))` },
  };
}

/** Whole years since the client table's own start date (with the bank since...). */
function yearsSince(table: CatalogTable, column: CatalogColumn): Attribute {
  const { label, terms } = naming(column.comment, column.name);
  return {
    name: `${column.name}_years`,
    label: { ru: `${label.ru}, лет назад`, en: `${label.en}, years ago` },
    unit: 'year',
    type: 'number',
    terms,
    phrases: [],
    refinements: [],
    date: `${table.name}.${column.name}`,
    measure: { kind: 'scalar', table: table.name, sql: `extract(year from age({now}, {t}.${column.name}))` },
  };
}

/** "Has a row in T": a loan, a card, a consent... Its coded columns refine it ("ипотека", "gold"). */
function hasRow(view: WarehouseView, table: CatalogTable): Attribute {
  const { label, terms } = naming(table.comment, table.name);
  const refinements = table.columns
    .filter(
      (c) =>
        !view.isKey(table, c) &&
        view.isTargetable(c) &&
        (isBooleanType(c.type) ||
          (isTextType(c.type) && (c.values !== undefined || commentCodes(c.comment) !== null))),
    )
    .map((c) => `${table.name}.${c.name}`);
  return {
    name: `has_${table.name}`,
    label: { ru: `Есть: ${label.ru.toLowerCase()}`, en: `Has ${label.en.toLowerCase()}` },
    type: 'boolean',
    terms,
    phrases: [],
    refinements,
    measure: { kind: 'related', table: table.name, quantifier: 'some' },
  };
}
