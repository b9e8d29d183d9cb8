// Columns that are one measure in several years, told apart only by the year their comment names:
// Berka's "unemployment rate '95" and "unemployment rate '96", "no. of committed crimes '95" and "'96".
// A family is the numeric columns of one table whose comment heads are one measure (see column-heads).
import type { SemanticModel } from '@t2s/semantic';
import { columnHead, headYear, measureOf, NUMERIC_COLUMN } from '../column-heads';

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
      if (!NUMERIC_COLUMN.test(column.type)) continue;
      const head = columnHead(column.comment);
      const year = headYear(head);
      if (year === undefined) continue;
      const key = measureOf(table.name, head);
      families.set(key, [...(families.get(key) ?? []), { column: `${table.name}.${column.name}`, year }]);
    }
  }
  const byColumn = new Map<string, readonly YearColumn[]>();
  for (const list of families.values()) {
    if (list.length < 2) continue;
    for (const member of list) byColumn.set(member.column, list);
  }
  return byColumn;
}
