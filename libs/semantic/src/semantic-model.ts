import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '@t2s/catalog';
import { quoteIdent, quoteLiteral } from '@t2s/db';
import type { LookupValue, RowCondition } from './representation';
import { CompileError } from './errors';
import { SchemaGraph } from './schema-graph';
import {
  semanticModelSchema,
  type Attribute,
  type Measure,
  type SemanticModelFile,
  type Terms,
} from './semantic-model.schema';

/** A semantic model that names something the warehouse does not have (R4), or a malformed file. */
export class SemanticModelError extends Error {
  override readonly name = 'SemanticModelError';
}

/**
 * A warehouse's semantic layer bound to its catalog: the client entity, the key graph, the business
 * attributes and the labels of coded values, every reference checked against the catalog at load.
 */
export class SemanticModel {
  readonly graph: SchemaGraph;
  private readonly attributes: Map<string, Attribute>;

  constructor(
    readonly file: SemanticModelFile,
    readonly catalog: Catalog,
    readonly schema: string,
  ) {
    this.graph = new SchemaGraph(catalog, schema, file.entity, file.bridges);
    this.attributes = new Map(file.attributes.map((a) => [a.name, a]));
    const problems = this.check();
    if (problems.length > 0) {
      throw new SemanticModelError(
        `The semantic model of ${file.warehouse} names what schema ${schema} does not have: ${problems.join('; ')}`,
      );
    }
  }

  get entity() {
    return this.file.entity;
  }

  /** SQL of the warehouse's "today", as a scalar expression. */
  get nowSql(): string {
    return this.file.now ? `(${this.qualifySql(this.file.now)})` : 'current_date';
  }

  /** How compiled comparisons write the report date and reference values. */
  get values(): { now: string; lookup: (value: LookupValue) => string } {
    return { now: this.nowSql, lookup: (value) => this.lookupSql(value) };
  }

  /** `(select t.col from schema.table t where t.key = value limit 1)`, both columns checked. */
  lookupSql({ lookup }: LookupValue): string {
    const [table = '', column = ''] = lookup.column.split('.');
    const [keyTable = '', keyColumn = ''] = lookup.where.column.split('.');
    if (
      !this.graph.hasColumn(table, column) ||
      keyTable !== table ||
      !this.graph.hasColumn(table, keyColumn)
    ) {
      throw new CompileError(`No reference value ${lookup.column} by ${lookup.where.column}`);
    }
    const key = lookup.where.value;
    const literal = typeof key === 'string' ? quoteLiteral(key) : String(key);
    return `(select r.${quoteIdent(column)} from ${this.qualify(table)} r where r.${quoteIdent(keyColumn)} = ${literal} limit 1)`;
  }

  qualify(table: string): string {
    return `${quoteIdent(this.schema)}.${quoteIdent(table)}`;
  }

  attribute(name: string): Attribute | undefined {
    return this.attributes.get(name);
  }

  allAttributes(): Attribute[] {
    return [...this.attributes.values()];
  }

  /** Labels of a column's coded values, `value -> terms`. */
  labelsOf(column: string): Record<string, Terms> {
    return this.file.labels[column] ?? {};
  }

  /**
   * Unqualified table names in configured SQL snippets (`now`) become schema-qualified, so the query
   * does not depend on the executor's search_path. Only names of this schema's tables are touched.
   */
  qualifySql(sql: string): string {
    return sql.replace(/\b(from|join)\s+([a-z_][a-z0-9_]*)\b/gi, (match, keyword: string, table: string) =>
      this.graph.table(table) ? `${keyword} ${this.qualify(table)}` : match,
    );
  }

  private check(): string[] {
    const problems: string[] = [];
    const { entity } = this.file;
    if (!this.graph.hasColumn(entity.table, entity.id)) problems.push(`entity ${entity.table}.${entity.id}`);
    const table = (name: string, where: string) => {
      if (!this.graph.table(name)) problems.push(`table ${name} (${where})`);
    };
    const column = (ref: string, where: string) => {
      const [t = '', c = ''] = ref.split('.');
      if (!this.graph.hasColumn(t, c)) problems.push(`column ${ref} (${where})`);
    };
    const condition = (cond: RowCondition | undefined, where: string): void => {
      if (!cond) return;
      if ('column' in cond) column(cond.column, where);
      else if ('all' in cond) cond.all.forEach((c) => condition(c, where));
      else if ('any' in cond) cond.any.forEach((c) => condition(c, where));
      else condition(cond.not, where);
    };
    for (const bridge of this.file.bridges) {
      table(bridge.table, 'bridge');
      table(bridge.link, 'bridge');
      column(`${bridge.table}.${bridge.on}`, 'bridge');
      column(`${bridge.link}.${bridge.on}`, 'bridge');
      condition(bridge.where, 'bridge');
    }
    for (const [name, config] of Object.entries(this.file.tables)) {
      table(name, 'tables');
      if (config.date) column(`${name}.${config.date}`, 'tables');
      if (config.endDate) column(`${name}.${config.endDate}`, 'tables');
    }
    for (const [lookup, context] of Object.entries(this.file.valueContexts)) {
      table(lookup, 'valueContexts');
      table(context, 'valueContexts');
    }
    for (const attribute of this.file.attributes) {
      const where = `attribute ${attribute.name}`;
      checkMeasure(attribute.measure, where);
      attribute.refinements.forEach((ref) => column(ref, where));
      if (attribute.date) column(attribute.date, where);
      if (this.graph.table(attribute.measure.table) && !this.graph.ownerPath(attribute.measure.table)) {
        problems.push(`a path from ${attribute.measure.table} to the client (${where})`);
      }
    }
    for (const ref of [...Object.keys(this.file.labels), ...this.file.valueColumns]) column(ref, 'labels');
    for (const ref of Object.keys(this.file.columns)) column(ref, 'columns');
    for (const ref of Object.keys(this.file.orders)) column(ref, 'orders');
    for (const line of this.file.portrait) {
      for (const name of 'attrs' in line ? line.attrs : 'attr' in line ? [line.attr] : []) {
        if (!this.attributes.has(name)) problems.push(`attribute ${name} (portrait)`);
      }
      if ('by' in line) column(line.by, 'portrait');
      if ('column' in line) column(line.column, 'portrait');
    }
    for (const [current, past] of Object.entries(this.file.history)) {
      column(current, 'history');
      column(past, 'history');
      const table = past.split('.')[0] as string;
      if (!this.file.tables[table]?.date) problems.push(`a date for ${table} in tables (history)`);
    }
    return problems;

    function checkMeasure(measure: Measure, where: string): void {
      table(measure.table, where);
      if (measure.kind === 'scalar') {
        for (const match of measure.sql.matchAll(/\{t\}\.([a-z_][a-z0-9_]*)/g)) {
          column(`${measure.table}.${match[1]}`, where);
        }
        return;
      }
      condition(measure.where, where);
      if (measure.window) column(measure.window.column, where);
      if (measure.kind === 'aggregate' && measure.column) column(measure.column, where);
    }
  }
}

/** `config/warehouses/<schema>.annotations.json`'s semantic part, if the file declares an entity. */
export function findSemanticModelFile(
  warehouse: string,
  dir = 'config/warehouses',
): SemanticModelFile | undefined {
  const file = join(dir, `${warehouse}.annotations.json`);
  if (!existsSync(file)) return undefined;
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof raw !== 'object' || raw === null || !('entity' in raw)) return undefined;
  const parsed = semanticModelSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new SemanticModelError(`${file}: ${problems.join('; ')}`);
  }
  return parsed.data;
}
