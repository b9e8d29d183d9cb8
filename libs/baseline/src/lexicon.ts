import type { Attribute, SemanticModel } from '@t2s/semantic';
import { phraseStems } from './text/tokens';

export type LexEntry =
  | { kind: 'attr'; attr: Attribute; stems: string[] }
  | {
      kind: 'value';
      column: string;
      value: string;
      stems: string[];
      partial: boolean;
      /** Matched on the exact word, not its stem: a code such as CREDIT must not match "credited". */
      exact?: boolean;
    };

/** Higher wins among matches of the same length. */
export function priority(entry: LexEntry): number {
  if (entry.kind === 'attr') return 3;
  return entry.partial ? 1 : 2;
}

// Words too generic to stand for a value on their own (part of many names, or units and time words).
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
  const match = /Значения:\s*(.+)$/s.exec(comment ?? '');
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
  }
  const graph = model.graph;
  for (const tableName of graph.tableNames()) {
    const table = graph.table(tableName);
    if (!table) continue;
    for (const column of table.columns) {
      if (column.pii) continue;
      const ref = `${tableName}.${column.name}`;
      for (const { value, label } of labelsFromComment(column.comment)) {
        add({ kind: 'value', column: ref, value, stems: phraseStems(label), partial: false });
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
          add({ kind: 'value', column: ref, value, stems: phraseStems(term), partial: false });
        }
      }
    }
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
