// Columns that are one measure in several years, told apart only by the year their comment names:
// Berka's "unemployment rate '95" and "unemployment rate '96", "no. of committed crimes '95" and "'96".
// A family is the numeric columns of one table whose comment heads are equal once the year is taken out.
import type { SemanticModel } from '@t2s/semantic';

export interface YearColumn {
  column: string;
  year: number;
}

/** `table.column` -> every column of its family with its year (families of two or more only). */
export function yearColumnFamilies(model: SemanticModel): ReadonlyMap<string, readonly YearColumn[]> {
  const families = new Map<string, YearColumn[]>();
  for (const table of model.catalog.tables) {
    if (table.schema !== model.schema) continue;
    for (const column of table.columns) {
      if (!NUMERIC.test(column.type)) continue;
      const head = (column.comment ?? '').replace(/^\[[^\]]*\]\s*/, '').replace(/^[A-Z]\d+:\s*/, '');
      const match = YEAR.exec(head);
      if (!match) continue;
      const year = fullYear(match[1] as string);
      const key = `${table.name}:${head
        .replace(YEAR, ' ')
        .replace(/[\s.]+/g, ' ')
        .trim()
        .toLowerCase()}`;
      const list = families.get(key) ?? [];
      list.push({ column: `${table.name}.${column.name}`, year });
      families.set(key, list);
    }
  }
  const byColumn = new Map<string, readonly YearColumn[]>();
  for (const list of families.values()) {
    if (list.length < 2) continue;
    for (const member of list) byColumn.set(member.column, list);
  }
  return byColumn;
}

const NUMERIC = /^(smallint|integer|bigint|numeric|decimal|real|double precision)/;
// "'95", "1995", "в 1996 г.": a year in a comment head.
const YEAR = /(?:'|’|\b)((?:19|20)\d\d|\d\d)\b(?!\s*%)/;

function fullYear(written: string): number {
  if (written.length === 4) return Number(written);
  const two = Number(written);
  return two >= 50 ? 1900 + two : 2000 + two;
}
