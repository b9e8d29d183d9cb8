import type { Attribute, Measure, SemanticModelFile } from '../semantic-model.schema';

/**
 * The model a warehouse uses: the bootstrap refined by the hand-written file, hand entries winning key
 * by key:
 *   - the entity, `now`, `recently`: the hand's when it has them;
 *   - bridges by table, value contexts by table, history and orders by column;
 *   - tables by table and, within one, field by field (label, terms, date, endDate);
 *   - attributes by name; a bootstrapped attribute is also left out when the hand already says what
 *     that fact is: a hand attribute reads the same column, is about rows of the same table (for "has a
 *     row in T"), or is named by three in four content words of the bootstrapped one's label
 *     ("Действующих кредитных карт" and "Есть действующая кредитная карта");
 *   - labels by column and, within one, code by code; column terms by column;
 *   - value columns: the hand's list when it has one (it chose which columns a single word of a value
 *     may name, and in which order they win), else the bootstrap's.
 */
export function mergeSemanticModels(
  bootstrap: SemanticModelFile,
  hand: SemanticModelFile,
): SemanticModelFile {
  const handNames = new Set(hand.attributes.map((a) => a.name));
  const handReads = new Set(
    hand.attributes.flatMap((a) => [
      ...measureReads(a.measure),
      ...(a.measure.kind === 'related' ? [a.measure.table] : []),
    ]),
  );
  const handWords = hand.attributes.map(attributeWords);
  const named = (a: Attribute) => {
    const own = [...labelWords([a.label.ru, a.label.en])];
    return (
      own.length > 0 && handWords.some((words) => own.filter((w) => words.has(w)).length >= 0.75 * own.length)
    );
  };
  const attributes = [
    ...hand.attributes,
    ...bootstrap.attributes.filter(
      (a) =>
        !handNames.has(a.name) && !measureReads(a.measure).some((read) => handReads.has(read)) && !named(a),
    ),
  ];
  const tables: SemanticModelFile['tables'] = { ...bootstrap.tables };
  for (const [name, own] of Object.entries(hand.tables)) tables[name] = { ...tables[name], ...own };
  const labels: SemanticModelFile['labels'] = { ...bootstrap.labels };
  for (const [column, own] of Object.entries(hand.labels)) labels[column] = { ...labels[column], ...own };
  const handBridges = new Set(hand.bridges.map((b) => b.table));
  const now = hand.now ?? bootstrap.now;
  const recently = hand.recently ?? bootstrap.recently;
  return {
    warehouse: hand.warehouse,
    entity: hand.entity,
    ...(now ? { now } : {}),
    ...(recently ? { recently } : {}),
    bridges: [...hand.bridges, ...bootstrap.bridges.filter((b) => !handBridges.has(b.table))],
    tables,
    attributes,
    labels,
    valueContexts: { ...bootstrap.valueContexts, ...hand.valueContexts },
    history: { ...bootstrap.history, ...hand.history },
    columns: { ...bootstrap.columns, ...hand.columns },
    valueColumns: hand.valueColumns.length > 0 ? hand.valueColumns : bootstrap.valueColumns,
    orders: { ...bootstrap.orders, ...hand.orders },
    portrait: hand.portrait.length > 0 ? hand.portrait : bootstrap.portrait,
  };
}

/**
 * What a measure is about, to tell when two attributes describe the same fact: the columns it reads
 * (`table.column`), or, for "has a row" with no condition, its table.
 */
export function measureReads(measure: Measure): string[] {
  const reads = [...JSON.stringify(measure).matchAll(/"column":"([a-z_0-9]+\.[a-z_0-9]+)"/gu)].map(
    (m) => m[1] as string,
  );
  if (measure.kind === 'scalar') {
    for (const m of measure.sql.matchAll(/\{t\}\.([a-z_][a-z0-9_]*)/gu))
      reads.push(`${measure.table}.${m[1]}`);
  }
  if (measure.kind === 'related' && !measure.where) reads.push(measure.table);
  return [...new Set(reads)];
}

/** Every word an attribute is named by: its labels, terms, antonyms and phrases. */
function attributeWords(attribute: Attribute): Set<string> {
  return labelWords([
    attribute.label.ru,
    attribute.label.en,
    ...attribute.terms.ru,
    ...attribute.terms.en,
    ...(attribute.antonyms?.ru ?? []),
    ...(attribute.antonyms?.en ?? []),
    ...attribute.phrases.flatMap((p) => [...p.terms.ru, ...p.terms.en]),
  ]);
}

/** Words that say how a label is built, not what it names. */
const FUNCTION_WORDS = new Set(['есть', 'или', 'для', 'has', 'have', 'and', 'the', 'with', 'for']);

/**
 * Content words of phrases by their first four letters, a stem crude but enough to tell that two phrases
 * name the same thing across inflections ("действующих кредитных карт", "действующая кредитная карта").
 */
function labelWords(phrases: string[]): Set<string> {
  return new Set(
    phrases.flatMap((p) =>
      p
        .toLowerCase()
        .replace(/ё/gu, 'е')
        .split(/[^\p{L}\p{N}]+/u)
        .filter((w) => w.length >= 3 && !FUNCTION_WORDS.has(w))
        .map((w) => w.slice(0, 4)),
    ),
  );
}
