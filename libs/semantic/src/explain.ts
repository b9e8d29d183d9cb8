import { indentSql, quoteIdent, quoteLiteral } from '@t2s/db';
import { aggregateValue, CompileError, RowQuery, scalarValue, type CriteriaCompiler } from './compile';
import { cteNames, type CriterionQuery } from './segment-sql';
import { exprSchema, predicatesOf, type Expr, type Predicate } from './representation';
import { measureReads } from './bootstrap/merge-model';
import type { SemanticModel } from './semantic-model';

/** A criterion's stored SELECT of client ids, with its representation when it has one (the values it reads). */
export interface ExplainPart extends CriterionQuery {
  expr?: unknown;
}

/** A number a criterion compares, as one client has it: "возраст 27", "средние траты по картам 41 200". */
export interface ReadValue {
  /** The attribute it is, when the criterion names one. */
  attr?: string;
  label: { ru: string; en: string };
  unit?: string;
  /** Null when the client has no such rows or no value. */
  value: number | string | null;
}

export interface ExplainedCriterion {
  id: string;
  kind: 'include' | 'exclude';
  passed: boolean;
  values: ReadValue[];
}

/** Why one client is in a segment or out of it, criterion by criterion. */
export interface ClientExplanation {
  /** The warehouse has this client. */
  known: boolean;
  /** Every inclusion passes and no exclusion does. */
  member: boolean;
  criteria: ExplainedCriterion[];
}

/** One query and how to read its rows. */
export interface ExplainQuery<T> {
  sql: string;
  read: (rows: readonly string[]) => T;
}

type Measured = { sql: string; value: Omit<ReadValue, 'value'> };

/**
 * For one client: whether each criterion's SELECT has them, and the numbers its predicates compare, in
 * one read-only query of one column (JSON text rows), so it passes the same guard as the funnel's
 * count. The membership test is the segment's own criterion SQL, so the verdict agrees with the
 * segment by construction; the values are the predicates' measures taken for that client alone.
 */
export class ClientExplainer {
  constructor(
    private readonly model: SemanticModel,
    private readonly compiler: CriteriaCompiler,
  ) {}

  query(parts: readonly ExplainPart[], clientId: string): ExplainQuery<ClientExplanation> {
    const client = quoteLiteral(clientId);
    const names = cteNames(parts);
    const measured = parts.map((p) => this.values(p.expr, client));
    const { table, id } = this.model.entity;
    const rows = [
      `select 0 as i, json_build_array(exists (select 1 from ${this.model.qualify(table)} e where e.${quoteIdent(id)} = ${client}))::text as r`,
      ...parts.map((_, i) => {
        const cells = [
          `exists (select 1 from ${names[i]} x where x.client_id = ${client})`,
          ...(measured[i] ?? []).map((m) => m.sql),
        ];
        return `select ${i + 1}, json_build_array(${cells.join(', ')})::text`;
      }),
    ];
    const ctes = parts.map((p, i) => `${names[i]} as (\n${indentSql(p.sql)}\n)`);
    const body = `select r from (\n${indentSql(rows.join('\nunion all\n'))}\n) t order by i`;
    const sql = ctes.length ? `with ${ctes.join(',\n')}\n${body}` : body;
    return { sql, read: (result) => this.read(parts, measured, result) };
  }

  private read(
    parts: readonly ExplainPart[],
    measured: Measured[][],
    rows: readonly string[],
  ): ClientExplanation {
    if (rows.length !== parts.length + 1)
      throw new Error(`explain: ${rows.length} rows for ${parts.length} criteria`);
    const cells = rows.map((row) => JSON.parse(row) as unknown[]);
    const criteria = parts.map((p, i) => {
      const [passed, ...values] = cells[i + 1] ?? [];
      return {
        id: p.id,
        kind: p.kind,
        passed: passed === true,
        values: (measured[i] ?? []).map((m, j) => ({ ...m.value, value: valueOf(values[j]) })),
      };
    });
    const includes = criteria.filter((c) => c.kind === 'include');
    const excludes = criteria.filter((c) => c.kind === 'exclude');
    return {
      known: cells[0]?.[0] === true,
      member: includes.every((c) => c.passed) && !excludes.some((c) => c.passed),
      criteria,
    };
  }

  /** The numbers a criterion's predicates compare, each a scalar subquery for the client. */
  private values(raw: unknown, client: string): Measured[] {
    const parsed = exprSchema.safeParse(raw);
    if (!parsed.success) return [];
    const seen = new Set<string>();
    return predicatesOf(parsed.data as Expr).flatMap((predicate) => {
      let measured: Measured | null;
      try {
        measured = this.value(predicate, client);
      } catch (error) {
        // A value the model cannot compute (a stale representation) is left out; the verdict still stands.
        if (error instanceof CompileError) return [];
        throw error;
      }
      if (!measured || seen.has(measured.sql)) return [];
      seen.add(measured.sql);
      return [measured];
    });
  }

  private value(predicate: Predicate, client: string): Measured | null {
    if (predicate.type === 'related') return null;
    if (predicate.type === 'aggregate') {
      if (predicate.column && this.personal(predicate.column)) return null;
      const query = new RowQuery(this.model, predicate.table);
      const sql = this.aggregate(query, { ...predicate, kind: 'aggregate' }, client);
      const table = this.model.file.tables[predicate.table]?.label;
      const label = table ?? { ru: predicate.table, en: predicate.table };
      return {
        sql,
        value: {
          label: { ru: `${FN.ru[predicate.fn]} ${label.ru}`, en: `${FN.en[predicate.fn]} ${label.en}` },
        },
      };
    }
    const attribute = this.model.attribute(predicate.attr);
    if (!attribute || attribute.type === 'boolean') return null;
    const measure = attribute.measure;
    // Age from the birth date: personal data may filter, never be shown (the guard refuses it too).
    if (measureReads(measure).some((ref) => this.personal(ref))) return null;
    const described = {
      attr: attribute.name,
      label: attribute.label,
      ...(attribute.unit ? { unit: attribute.unit } : {}),
    };
    if (measure.kind === 'related') return null;
    if (measure.kind === 'scalar') {
      const query = new RowQuery(this.model, measure.table);
      const now = predicate.asOf ? `date ${quoteLiteral(predicate.asOf)}` : this.model.nowSql;
      const value = scalarValue(this.model, measure.sql, now);
      const conditions = [`${query.ownerId()} = ${client}`];
      if (predicate.where) conditions.push(query.condition(predicate.where));
      return {
        sql: `(select ${value} from ${query.from()} where ${conditions.join(' and ')} limit 1)`,
        value: described,
      };
    }
    const where = predicate.where
      ? measure.where
        ? { all: [measure.where, predicate.where] }
        : predicate.where
      : measure.where;
    const window = this.compiler.windowOf(measure, predicate);
    const query = new RowQuery(this.model, measure.table);
    const sql = this.aggregate(
      query,
      { ...measure, ...(where ? { where } : {}), ...(window ? { window } : {}) },
      client,
    );
    return { sql, value: described };
  }

  private personal(ref: string): boolean {
    const [table = '', column = ''] = ref.split('.');
    return this.model.graph.table(table)?.columns.find((c) => c.name === column)?.pii === true;
  }

  private aggregate(query: RowQuery, measure: Parameters<typeof aggregateValue>[1], client: string): string {
    const conditions = [`${query.ownerId()} = ${client}`];
    if (measure.where) conditions.push(query.condition(measure.where));
    if (measure.window) conditions.push(query.window(measure.window));
    const value = aggregateValue(query, measure);
    return `(select ${value} from ${query.from()} where ${conditions.join(' and ')})`;
  }
}

const FN = {
  ru: {
    count: 'число',
    count_distinct: 'число разных',
    sum: 'сумма',
    avg: 'среднее',
    min: 'минимум',
    max: 'максимум',
  },
  en: {
    count: 'number of',
    count_distinct: 'distinct',
    sum: 'total',
    avg: 'average',
    min: 'minimum',
    max: 'maximum',
  },
} as const;

function valueOf(cell: unknown): number | string | null {
  if (typeof cell === 'number' || typeof cell === 'string') return cell;
  return null;
}
