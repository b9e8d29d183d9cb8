import { Bm25 } from './bm25';
import type { LinkColumn, LinkSchema, LinkTable } from './link-schema';
import { words } from './words';

/** A lexical index over documents' words: every document with a positive score for a query, best first. */
export interface WordIndex {
  search(query: readonly string[]): { id: string; score: number }[];
}

/** Builds a word index; the linker's is BM25 (`Bm25`), a bench may compare another ranker in its place. */
export type WordIndexFactory = (documents: readonly { id: string; words: readonly string[] }[]) => WordIndex;

export interface LinkOptions {
  /** How many columns retrieval keeps before join keys are added (default 20). */
  columns?: number;
}

export interface LinkedSchema {
  /** Tables the linked columns belong to, plus those a join between them passes through. */
  tables: string[];
  /** `table.column`: the retrieved columns, then the keys that join their tables. */
  columns: string[];
  /** The retrieved columns alone, best first, with their scores. */
  retrieved: { column: string; score: number }[];
}

const MAX_VALUES = 200;
const TIME =
  /(?<![a-zа-я])(?:day|days|week|weeks|month|months|year|years|quarter|recent|recently|since|ago|дн[а-я]*|день|недел[а-я]*|месяц[а-я]*|год[а-я]*|лет|квартал[а-я]*|полгода|недавно|назад|январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)|(?:19|20)\d\d/i;
// A table's own words count for its columns at this weight: "loans" finds the loan table's columns,
// but its column named in the question still comes first.
const TABLE_WEIGHT = 0.5;

/**
 * Schema linking without a model: BM25 over every column's words (its table, its name, comment, the
 * semantic model's terms and its known values), then the keys that join the tables found, so the SQL
 * written over the linked schema can always connect them. The LLM selection step narrows this set.
 */
export class SchemaLinker {
  private readonly columnIndex: WordIndex;
  private readonly tableIndex: WordIndex;
  private readonly tables = new Map<string, LinkTable>();

  constructor(
    readonly schema: LinkSchema,
    index: WordIndexFactory = (documents) => new Bm25(documents),
  ) {
    for (const table of schema.tables) this.tables.set(table.name, table);
    this.tableIndex = index(
      schema.tables.map((t) => ({
        id: t.name,
        words: [...words(t.name), ...words(t.description ?? ''), ...(t.terms ?? []).flatMap(words)],
      })),
    );
    this.columnIndex = index(
      schema.tables.flatMap((t) =>
        t.columns.map((c) => ({ id: `${t.name}.${c.name}`, words: [...words(t.name), ...columnWords(c)] })),
      ),
    );
  }

  link(text: string, options: LinkOptions = {}): LinkedSchema {
    const limit = options.columns ?? 20;
    const query = words(text);
    const tableScores = new Map(this.tableIndex.search(query).map((s) => [s.id, s.score]));
    const best = Math.max(1e-9, ...tableScores.values());
    const scores = new Map<string, number>();
    for (const { id, score } of this.columnIndex.search(query)) scores.set(id, score);
    for (const table of this.schema.tables) {
      const boost = ((tableScores.get(table.name) ?? 0) / best) * TABLE_WEIGHT;
      if (boost === 0) continue;
      for (const c of table.columns) {
        const id = `${table.name}.${c.name}`;
        scores.set(id, (scores.get(id) ?? 0) + boost);
      }
    }
    const retrieved = [...scores.entries()]
      .map(([column, score]) => ({ column, score }))
      .sort((a, b) => b.score - a.score || a.column.localeCompare(b.column))
      .slice(0, limit);
    return {
      ...this.expand(
        retrieved.map((r) => r.column),
        TIME.test(text),
      ),
      retrieved,
    };
  }

  /**
   * Chosen columns made joinable: their tables joined by key paths, every table's primary key, the
   * foreign keys between them, their dates when the question names a time, and the columns every
   * query may need. Columns the schema does not have are left out.
   */
  expand(chosen: readonly string[], timed: boolean): { tables: string[]; columns: string[] } {
    const known = chosen.filter((c) =>
      this.tables.get(tableOf(c))?.columns.some((col) => `${tableOf(c)}.${col.name}` === c),
    );
    const columns = new Set(known);
    const tables = [...new Set(known.map(tableOf))];
    for (const name of this.connect(tables)) if (!tables.includes(name)) tables.push(name);
    for (const name of tables) {
      const table = this.tables.get(name);
      for (const key of table?.primaryKey ?? []) columns.add(`${name}.${key}`);
      for (const fk of table?.foreignKeys ?? []) {
        if (!tables.includes(fk.refTable)) continue;
        for (const c of fk.columns) columns.add(`${name}.${c}`);
        for (const c of fk.refColumns) columns.add(`${fk.refTable}.${c}`);
      }
    }
    // "за последние 3 месяца", "in 1997": the tables' own dates, and the warehouse's "today".
    if (timed) {
      for (const name of tables) {
        const date = this.tables.get(name)?.date;
        if (date) columns.add(`${name}.${date}`);
      }
    }
    for (const column of this.schema.always ?? []) {
      columns.add(column);
      if (!tables.includes(tableOf(column))) tables.push(tableOf(column));
    }
    return { tables, columns: [...columns] };
  }

  /** Whether a text names a time (a window, a year, a month): the tables' dates are then linked too. */
  static timed(text: string): boolean {
    return TIME.test(text);
  }

  /** Tables on the shortest key paths that join the given tables to the first of them (3 steps at most). */
  private connect(tables: string[]): string[] {
    const joined = new Set(tables.slice(0, 1));
    const through: string[] = [];
    for (const target of tables.slice(1)) {
      const path = this.path(target, joined);
      for (const name of path) {
        joined.add(name);
        if (!tables.includes(name)) through.push(name);
      }
      joined.add(target);
    }
    return through;
  }

  private path(from: string, to: ReadonlySet<string>): string[] {
    const previous = new Map<string, string | null>([[from, null]]);
    let frontier = [from];
    for (let depth = 0; depth < 3 && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const name of frontier) {
        for (const neighbour of this.neighbours(name)) {
          if (previous.has(neighbour)) continue;
          previous.set(neighbour, name);
          if (to.has(neighbour)) {
            const path: string[] = [];
            for (
              let at = previous.get(neighbour) ?? null;
              at !== null && at !== from;
              at = previous.get(at) ?? null
            )
              path.push(at);
            return path;
          }
          next.push(neighbour);
        }
      }
      frontier = next;
    }
    return [];
  }

  private neighbours(name: string): string[] {
    const out = (this.tables.get(name)?.foreignKeys ?? []).map((fk) => fk.refTable);
    for (const table of this.schema.tables) {
      if (table.foreignKeys.some((fk) => fk.refTable === name)) out.push(table.name);
    }
    return out;
  }
}

function columnWords(c: LinkColumn): string[] {
  const name = words(c.name);
  return [
    ...name,
    ...name,
    ...words(c.description ?? ''),
    ...(c.terms ?? []).flatMap(words),
    ...(c.values ?? []).slice(0, MAX_VALUES).flatMap(words),
  ];
}

export function tableOf(column: string): string {
  return column.slice(0, column.indexOf('.'));
}
