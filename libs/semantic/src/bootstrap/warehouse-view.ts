import { isHiddenPii, type Catalog, type CatalogColumn, type CatalogTable } from '@t2s/catalog';
import { SemanticModelError } from '../semantic-model';
import { SchemaGraph } from '../schema-graph';

/** A link table that maps a table's rows to clients (Berka's disp: account -> client). */
export interface DerivedBridge {
  table: string;
  link: string;
  on: string;
}

/**
 * One schema of a catalog as the bootstrap reads it: its tables, its client entity, the tables that
 * hold one row per client, and the key graph (with link tables for rows no key leads to a client).
 */
export class WarehouseView {
  readonly tables: CatalogTable[];
  readonly entity: { table: string; id: string };
  readonly bridges: DerivedBridge[];
  readonly graph: SchemaGraph;

  constructor(
    readonly catalog: Catalog,
    readonly schema: string,
  ) {
    this.tables = catalog.tables.filter((t) => t.schema === schema);
    const entity = catalog.entities.find((e) => e.schema === schema);
    if (!entity) {
      throw new SemanticModelError(
        `Schema ${schema} has no client entity in the catalog (annotate its entity, or name the table client)`,
      );
    }
    this.entity = { table: entity.table, id: entity.column };
    const keysOnly = new SchemaGraph(catalog, schema, this.entity, []);
    this.bridges = this.deriveBridges(keysOnly);
    this.graph = new SchemaGraph(catalog, schema, this.entity, this.bridges);
  }

  table(name: string): CatalogTable | undefined {
    return this.tables.find((t) => t.name === name);
  }

  /** The entity table and the tables keyed by the client's id alone (client_employment, digital_profile). */
  profileTables(): CatalogTable[] {
    return this.tables.filter(
      (t) =>
        t.name === this.entity.table ||
        (t.primaryKey.length === 1 && this.graph.entityIdColumn(t.name) === t.primaryKey[0]),
    );
  }

  /** Tables whose rows belong to a client (by keys or a link table), other than the profile tables. */
  ownedTables(): CatalogTable[] {
    const profiles = new Set(this.profileTables().map((t) => t.name));
    return this.tables.filter((t) => !profiles.has(t.name) && this.graph.ownerPath(t.name) !== null);
  }

  /** Tables a client's rows look up (reference data: regions, products, MCC groups). */
  lookupTables(): CatalogTable[] {
    const owners = [...this.profileTables(), ...this.ownedTables()].map((t) => t.name);
    return this.tables.filter(
      (t) => !owners.includes(t.name) && owners.some((o) => this.graph.lookupPath(o, t.name) !== null),
    );
  }

  /** A column that is a key (primary or foreign) of its table: an identifier, not a fact. */
  isKey(table: CatalogTable, column: CatalogColumn): boolean {
    return (
      table.primaryKey.includes(column.name) ||
      table.foreignKeys.some((fk) => fk.columns.includes(column.name))
    );
  }

  /**
   * Whether a criterion may read the column: not personal data the bank keeps from filtering, and not
   * marked as known only after the contact a campaign is for (`notForTargeting`).
   */
  isTargetable(column: CatalogColumn): boolean {
    return !isHiddenPii(column) && column.notForTargeting !== true;
  }

  /**
   * For a table no key leads from to a client but other such tables hang from (Berka's account, with
   * its loans and orders): an association table holding little but a key to it and a key to the client
   * (account <- disp -> client), joined on the table's one-column primary key.
   */
  private deriveBridges(graph: SchemaGraph): DerivedBridge[] {
    const bridges: DerivedBridge[] = [];
    const unowned = (name: string) => graph.ownerPath(name) === null;
    for (const table of this.tables) {
      if (table.primaryKey.length !== 1 || !unowned(table.name)) continue;
      const key = table.primaryKey[0] as string;
      const parentOfFacts = this.tables.some(
        (t) =>
          t.name !== table.name && unowned(t.name) && t.foreignKeys.some((fk) => fk.refTable === table.name),
      );
      if (!parentOfFacts) continue;
      const link = this.tables.find((l) => this.isAssociation(l, table.name, key, graph));
      if (link) bridges.push({ table: table.name, link: link.name, on: key });
    }
    return bridges;
  }

  /** Keys to the client and to `table` (by its key's name), and at most one other column, not a date. */
  private isAssociation(link: CatalogTable, table: string, key: string, graph: SchemaGraph): boolean {
    if (link.name === table || link.name === this.entity.table || graph.entityIdColumn(link.name) === null) {
      return false;
    }
    const targets = new Set(link.foreignKeys.map((fk) => fk.refTable));
    if (targets.size !== 2 || !targets.has(table) || !targets.has(this.entity.table)) return false;
    const toTable = link.foreignKeys.find((fk) => fk.refTable === table);
    if (toTable?.columns.length !== 1 || toTable.columns[0] !== key) return false;
    const others = link.columns.filter((c) => !this.isKey(link, c));
    return others.length <= 1 && others.every((c) => !/^(date|timestamp)/u.test(c.type));
  }
}

const NUMERIC = /^(smallint|integer|bigint|numeric|decimal|real|double precision|money)/u;

export function isNumericType(type: string): boolean {
  return NUMERIC.test(type);
}

export function isBooleanType(type: string): boolean {
  return type === 'boolean';
}

export function isTextType(type: string): boolean {
  return /^(text|character|varchar|citext|name)/u.test(type);
}

/** `client_household.children_count` -> "children count". */
export function nameWords(name: string): string {
  return name.replace(/[_\s]+/gu, ' ').trim();
}
