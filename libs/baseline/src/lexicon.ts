import type { Attribute, Comparison, SemanticModel } from '@t2s/semantic';
import { columnHead, measureOf, measureOwnWords, NUMERIC_COLUMN } from './column-heads';
import { phraseStems } from './text/tokens';

export type LexEntry =
  | {
      kind: 'attr';
      attr: Attribute;
      stems: string[];
      antonym?: boolean;
      /** The comparison the words themselves say ("многодетные": at least 3 children). */
      cmp?: Comparison;
    }
  /** A column by the words of its comment ("внутренний рейтинг"), for a number or a value next to it. */
  | { kind: 'column'; column: string; type: string; stems: string[] }
  | {
      kind: 'value';
      column: string;
      value: string;
      stems: string[];
      partial: boolean;
      /**
       * One word of a longer label ("чат" of "чат в приложении"): it counts as a refinement of an
       * attribute or next to its column's name, never alone.
       */
      weak?: boolean;
      /** Matched on the exact word, not its stem: a code such as CREDIT must not match "credited". */
      exact?: boolean;
      /**
       * A label the semantic model declares: it names the value even in words that alone name nothing
       * ("users": Berka's DISPONENT, by its documentation).
       */
      declared?: boolean;
    };

/** Higher wins among matches of the same length. */
export function priority(entry: LexEntry): number {
  if (entry.kind === 'attr') return 4;
  if (entry.kind === 'column') return 2;
  return entry.partial ? 1 : 3;
}

/** Words that never name a column on their own (the client, the bank, prepositions). */
const FILLER_WORDS = new Set(
  [
    'no',
    'number',
    'количество',
    'число',
    'клиент',
    'клиента',
    'банк',
    'банка',
    'в',
    'на',
    'по',
    'для',
    'с',
    'и',
    'или',
    'из',
    'client',
    'bank',
    'of',
    'the',
    'in',
    'for',
    'and',
  ].flatMap((w) => phraseStems(w)),
);

// Words too generic to stand for a value on their own (part of many names, or units and time words).
/** The codes of a yes/no column ("yes", "no", "Y", "да"). */
const ANSWER_WORDS = /^(?:yes|no|y|n|true|false|да|нет)$/i;

const GENERIC = new Set(
  [
    'и',
    'или',
    'в',
    'на',
    'по',
    'для',
    'с',
    'без',
    'от',
    'до',
    'за',
    'не',
    'из',
    'к',
    'о',
    'карта',
    'карты',
    'счет',
    'счета',
    'кредит',
    'кредита',
    'вклад',
    'вклада',
    'страхование',
    'продукт',
    'услуги',
    'прочие',
    'другой',
    'другие',
    'день',
    'дней',
    'месяц',
    'год',
    'лет',
    'руб',
    'область',
    'край',
    'республика',
    'ао',
    'город',
    'the',
    'and',
    'of',
    'other',
    'card',
    'account',
    'loan',
    'реклама',
    'рекламной',
    'рассылка',
    'медиа',
    'товары',
    'сервисы',
    'магазины',
  ].flatMap((w) => phraseStems(w)),
);

/**
 * Coded values documented in column comments: "Тип карты. Значения: DEBIT — дебетовая; CREDIT — кредитная."
 * Every warehouse built the way the demo one is documents its codes so; the semantic model's labels add
 * synonyms and English words on top.
 */
export function labelsFromComment(comment: string | null): { value: string; label: string }[] {
  const text = comment ?? '';
  // English documentation style (Berka): `'A' stands for contract finished, no problems; "SIPO" stands for household`.
  const english = [
    ...text.matchAll(/["']([^"']+)["']\s+stands for\s+(.+?)(?=[,;]\s*["']|[;.]\s|[;.]?$)/g),
  ].map((m) => ({
    value: m[1] as string,
    label: (m[2] as string).trim(),
  }));
  if (english.length > 0) return english;
  const match = /Значения:\s*(.+)$/s.exec(text);
  if (!match) return [];
  return (match[1] as string)
    .split(/;\s*/)
    .map((part) => /^([A-Z0-9_]+)\s+[—-]\s+(.+?)\.?$/.exec(part.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ value: m[1] as string, label: (m[2] as string).replace(/\s*\(.*\)\s*$/, '').trim() }));
}

/**
 * Everything a phrase of criteria text can name, with its stems: the model's attributes, the labelled
 * codes of every column (from comments and the model), and the real values of the model's value
 * columns (the catalog's value index), also by their distinctive single words ("АЗС" for "АЗС и топливо").
 */
export function buildLexicon(model: SemanticModel): LexEntry[] {
  const entries: LexEntry[] = [];
  const add = (entry: LexEntry) => {
    if (entry.stems.length > 0) entries.push(entry);
  };
  for (const attr of model.allAttributes()) {
    for (const term of [...attr.terms.ru, ...attr.terms.en, attr.label.ru, attr.label.en]) {
      add({ kind: 'attr', attr, stems: phraseStems(term) });
    }
    for (const term of [...(attr.antonyms?.ru ?? []), ...(attr.antonyms?.en ?? [])]) {
      add({ kind: 'attr', attr, stems: phraseStems(term), antonym: true });
    }
    for (const phrase of attr.phrases) {
      for (const term of [...phrase.terms.ru, ...phrase.terms.en]) {
        add({ kind: 'attr', attr, stems: phraseStems(term), cmp: phrase.cmp });
      }
    }
  }
  const graph = model.graph;
  // How many labels, over all columns, use a word: a label's single word stands for it only when unique.
  const wordUse = new Map<string, number>();
  for (const tableName of graph.tableNames()) {
    for (const column of graph.table(tableName)?.columns ?? []) {
      for (const { label } of labelsFromComment(column.comment)) {
        for (const w of new Set(phraseStems(label))) wordUse.set(w, (wordUse.get(w) ?? 0) + 1);
      }
    }
  }
  for (const tableName of graph.tableNames()) {
    const table = graph.table(tableName);
    if (!table) continue;
    for (const column of table.columns) {
      if (column.pii) continue;
      const ref = `${tableName}.${column.name}`;
      const labels = labelsFromComment(column.comment);
      // A label's distinctive word alone ("чат" for "чат в приложении"), when no other label of the column has it.
      const labelWords = labels.map(({ label }) =>
        phraseStems(label).filter((w) => w.length >= 3 && !GENERIC.has(w) && !/^\d+$/.test(w)),
      );
      for (const [i, { value, label }] of labels.entries()) {
        add({ kind: 'value', column: ref, value, stems: phraseStems(label), partial: false });
        const words = labelWords[i] ?? [];
        if (words.length >= 2 && words.length <= 3) {
          for (const word of words) {
            if (
              labelWords.filter((other) => other.includes(word)).length === 1 &&
              (wordUse.get(word) ?? 0) === 1
            ) {
              add({ kind: 'value', column: ref, value, stems: [word], partial: true, weak: true });
            }
          }
        }
        if (/^[A-Z][A-Z_]{2,}$/.test(value) && !value.includes('_')) {
          add({
            kind: 'value',
            column: ref,
            value,
            stems: [value.toLowerCase()],
            partial: false,
            exact: true,
          });
        }
      }
      // Labels of a code column apply to every column with a key to it (channel codes of consents, stop lists...).
      const target = table.foreignKeys.find((fk) => fk.columns.length === 1 && fk.columns[0] === column.name);
      const inherited = target ? model.labelsOf(`${target.refTable}.${target.refColumns[0] as string}`) : {};
      for (const [value, terms] of Object.entries({ ...inherited, ...model.labelsOf(ref) })) {
        for (const term of [...terms.ru, ...terms.en]) {
          add({
            kind: 'value',
            column: ref,
            value,
            stems: phraseStems(term),
            partial: false,
            declared: true,
          });
        }
      }
    }
  }
  // Real values of every low-cardinality text column (the catalog's value index), word for word: "gold",
  // "Prague", "north Moravia". Long values are left to the value columns below, matched by their words.
  for (const tableName of graph.tableNames()) {
    for (const column of graph.table(tableName)?.columns ?? []) {
      if (column.pii || !column.values) continue;
      for (const value of column.values) {
        const words = value.toLowerCase().split(/\s+/).filter(Boolean);
        if (words.length === 0 || words.length > 3 || /^[\d.,\s-]+$/.test(value)) continue;
        // "no credit in default": the answer words of a yes/no column are the text's negations and
        // assents, read with the column's own words, never values by themselves.
        if (ANSWER_WORDS.test(value.trim())) continue;
        add({
          kind: 'value',
          column: `${tableName}.${column.name}`,
          value,
          ...(words.length === 1 && /^[a-z][a-z0-9_]*$/.test(words[0] as string)
            ? { stems: words, exact: true }
            : { stems: phraseStems(value) }),
          partial: false,
        });
      }
    }
  }
  // Columns of client data by their comment's first words, and (for English text) by their names.
  const entity = model.entity.table;
  const distinctive = distinctiveStems(model);
  for (const tableName of graph.tableNames()) {
    // Reference tables of client-owned rows too ("платным годовым обслуживанием": the card's product fee).
    const owned = graph.tableNames().filter((t) => graph.ownerPath(t) !== null);
    const clientData =
      graph.ownerPath(tableName) !== null ||
      graph.lookupPath(entity, tableName) !== null ||
      owned.some((t) => graph.lookupPath(t, tableName) !== null);
    if (!clientData) continue;
    for (const column of graph.table(tableName)?.columns ?? []) {
      if (column.pii || /(^|_)id$/.test(column.name)) continue;
      const ref = `${tableName}.${column.name}`;
      const head = columnHead(column.comment);
      const words = head.split(/\s+/).filter(Boolean);
      const stems = phraseStems(head).filter((w) => !FILLER_WORDS.has(w));
      if (
        stems.length >= 1 &&
        words.length <= 5 &&
        !(stems.length === 1 && (stems[0] as string).length < 5)
      ) {
        add({ kind: 'column', column: ref, type: column.type, stems });
        // "Внутренний рейтинг" for "Внутренний рейтинг клиента": the first two words alone name it too.
        if (stems.length === 3) {
          for (const [a, b] of [
            [0, 1],
            [0, 2],
            [1, 2],
          ] as const) {
            add({
              kind: 'column',
              column: ref,
              type: column.type,
              stems: [stems[a] as string, stems[b] as string],
            });
          }
        } else if (stems.length > 3)
          add({ kind: 'column', column: ref, type: column.type, stems: stems.slice(0, 2) });
        // "unemployment", "crimes": a word of a number's comment no other measure's comment has.
        if (stems.length > 1)
          for (const stem of stems)
            if (distinctive.has(`${ref}:${stem}`))
              add({ kind: 'column', column: ref, type: column.type, stems: [stem] });
      }
      const named = column.name.replace(/_/g, ' ');
      if (named.includes(' '))
        add({ kind: 'column', column: ref, type: column.type, stems: phraseStems(named) });
    }
  }
  for (const [ref, terms] of Object.entries(model.file.columns)) {
    const [tableName = '', columnName = ''] = ref.split('.');
    const type = graph.table(tableName)?.columns.find((c) => c.name === columnName)?.type ?? 'text';
    for (const term of [...terms.ru, ...terms.en])
      add({ kind: 'column', column: ref, type, stems: phraseStems(term) });
  }
  for (const ref of model.file.valueColumns) {
    const [tableName = '', columnName = ''] = ref.split('.');
    const values = graph.table(tableName)?.columns.find((c) => c.name === columnName)?.values ?? [];
    const wordCounts = new Map<string, number>();
    const valueWords = values.map((value) => {
      const words = phraseStems(value).filter((w) => w.length >= 3 && !GENERIC.has(w) && !/^\d+$/.test(w));
      for (const w of new Set(words)) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
      return words;
    });
    values.forEach((value, i) => {
      add({ kind: 'value', column: ref, value, stems: phraseStems(value), partial: false });
      const words = valueWords[i] ?? [];
      // Short names only: a single distinctive word of a long product name says too little.
      if (words.length > 3) return;
      for (const word of words) {
        if (wordCounts.get(word) === 1)
          add({ kind: 'value', column: ref, value, stems: [word], partial: true });
      }
    });
  }
  return entries;
}

/**
 * `table.column:stem` for each long word (six letters or more) of a numeric column's comment head that
 * no other measure's head has: columns that differ only by a year ("unemployment rate '95", "'96") count
 * as one measure. The comment heads are read as the column entries read them.
 */
function distinctiveStems(model: SemanticModel): ReadonlySet<string> {
  const heads: { ref: string; measure: string; words: string[] }[] = [];
  for (const table of model.catalog.tables) {
    if (table.schema !== model.schema) continue;
    for (const column of table.columns) {
      if (column.pii || !NUMERIC_COLUMN.test(column.type)) continue;
      const head = columnHead(column.comment);
      const words = phraseStems(head).filter((w) => w.length >= 6 && !FILLER_WORDS.has(w) && !/\d/.test(w));
      heads.push({ ref: `${table.name}.${column.name}`, measure: measureOf(table.name, head), words });
    }
  }
  return new Set(
    [...measureOwnWords(heads)].flatMap(([ref, stems]) => stems.map((stem) => `${ref}:${stem}`)),
  );
}
