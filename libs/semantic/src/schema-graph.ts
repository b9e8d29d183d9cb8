import { isHiddenPii, type Catalog, type CatalogColumn, type CatalogTable } from '@t2s/catalog';
import type { RowCondition } from './representation';

/** A many-to-one step: rows of `from` each have at most one row of `to`. */
export interface KeyStep {
  kind: 'key';
  from: string;
  to: string;
  columns: string[];
  refColumns: string[];
}

/** A step through a declared link table (one row of `from` to the clients the link names). */
export interface BridgeStep {
  kind: 'bridge';
  from: string;
  to: string;
  on: string;
  where?: RowCondition;
}

export type Step = KeyStep | BridgeStep;

/**
 * The warehouse's tables and keys as a graph: many-to-one steps along foreign keys (joins that never
 * multiply rows), plus declared link tables for tables no key leads from to the client.
 */
export class SchemaGraph {
  private readonly tables = new Map<string, CatalogTable>();
  private readonly keySteps = new Map<string, KeyStep[]>();
  private readonly ownerPaths = new Map<string, Step[] | null>();
  private readonly extensionSteps = new Map<string, KeyStep[]>();

  constructor(
    catalog: Catalog,
    readonly schema: string,
    readonly entity: { table: string; id: string },
    private readonly bridges: readonly { table: string; link: string; on: string; where?: RowCondition }[],
  ) {
    for (const table of catalog.tables) {
      if (table.schema !== schema) continue;
      this.tables.set(table.name, table);
    }
    for (const table of this.tables.values()) {
      const steps = table.foreignKeys
        .filter((fk) => fk.refSchema === schema && this.tables.has(fk.refTable))
        .map((fk): KeyStep => ({
          kind: 'key',
          from: table.name,
          to: fk.refTable,
          columns: fk.columns,
          refColumns: fk.refColumns,
        }));
      this.keySteps.set(table.name, steps);
    }
    // A table whose primary key is its key to another (a car loan's vehicle: one row per loan, keyed by
    // the loan) extends that table's rows without multiplying them, so a lookup may step into it.
    for (const table of this.tables.values()) {
      const primary = [...(table.primaryKey ?? [])].sort().join(',');
      for (const step of this.keySteps.get(table.name) ?? []) {
        if (step.to === this.entity.table || [...step.columns].sort().join(',') !== primary) continue;
        const reverse: KeyStep = {
          kind: 'key',
          from: step.to,
          to: table.name,
          columns: step.refColumns,
          refColumns: step.columns,
        };
        this.extensionSteps.set(step.to, [...(this.extensionSteps.get(step.to) ?? []), reverse]);
      }
    }
  }

  table(name: string): CatalogTable | undefined {
    return this.tables.get(name);
  }

  tableNames(): string[] {
    return [...this.tables.keys()];
  }

  hasColumn(table: string, column: string): boolean {
    return this.tables.get(table)?.columns.some((c) => c.name === column) ?? false;
  }

  /** Personal data the bank has not approved for filtering: no criterion may read it. */
  isHiddenPii(table: string, column: string): boolean {
    const found = this.tables.get(table)?.columns.find((c) => c.name === column);
    return found !== undefined && isHiddenPii(found);
  }

  columnType(table: string, column: string): string | undefined {
    return this.column(`${table}.${column}`)?.type;
  }

  /** The schema's column `table.column`, as the catalog describes it. */
  column(ref: string): CatalogColumn | undefined {
    const [table = '', column] = ref.split('.');
    return this.tables.get(table)?.columns.find((c) => c.name === column);
  }

  /** True when the table holds the client id itself: the entity table, or a single-column key to it. */
  ownsEntityId(table: string): boolean {
    return this.entityIdColumn(table) !== null;
  }

  /** The column holding the client id in this table (the entity's id, or the key to the entity), if any. */
  entityIdColumn(table: string): string | null {
    if (table === this.entity.table) return this.entity.id;
    const key = (this.keySteps.get(table) ?? []).find(
      (step) =>
        step.to === this.entity.table && step.columns.length === 1 && step.refColumns[0] === this.entity.id,
    );
    return key ? (key.columns[0] as string) : null;
  }

  /**
   * Steps from a table's rows to the client they belong to: many-to-one keys and declared links,
   * shortest first; null when the table belongs to no client (a reference table).
   */
  ownerPath(table: string): Step[] | null {
    if (this.ownerPaths.has(table)) return this.ownerPaths.get(table) ?? null;
    const path = this.search(table, (name) => this.ownsEntityId(name), true);
    this.ownerPaths.set(table, path);
    return path;
  }

  /** Many-to-one steps from `from` to `to` (a lookup), shortest first; null when there is none. */
  lookupPath(from: string, to: string): KeyStep[] | null {
    if (from === to) return [];
    return this.search(from, (name) => name === to, false) as KeyStep[] | null;
  }

  /**
   * Cheapest path by key steps. For lookups, a step into a client-owned table (another fact, such as
   * the card a transaction was made with) costs more than a step into a reference table, so "the MCC
   * group of a purchase" goes through the purchase's MCC code, not through the card's cashback category.
   */
  private search(start: string, done: (table: string) => boolean, withBridges: boolean): Step[] | null {
    if (!this.tables.has(start)) return null;
    const best = new Map<string, number>([[start, 0]]);
    let frontier: { table: string; path: Step[]; cost: number }[] = [{ table: start, path: [], cost: 0 }];
    while (frontier.length > 0) {
      frontier.sort((a, b) => a.cost - b.cost || a.path.length - b.path.length);
      const { table, path, cost } = frontier.shift() as { table: string; path: Step[]; cost: number };
      if (done(table)) return path;
      const next: Step[] = [...(this.keySteps.get(table) ?? [])];
      if (!withBridges) next.push(...(this.extensionSteps.get(table) ?? []));
      if (withBridges) {
        for (const bridge of this.bridges.filter((b) => b.table === table)) {
          next.push({ kind: 'bridge', from: table, to: bridge.link, on: bridge.on, where: bridge.where });
        }
      }
      for (const step of next) {
        const stepCost = withBridges || done(step.to) || !this.ownsEntityId(step.to) ? 1 : 3;
        const total = cost + stepCost;
        if ((best.get(step.to) ?? Number.POSITIVE_INFINITY) <= total) continue;
        best.set(step.to, total);
        frontier = frontier.filter((f) => f.table !== step.to);
        frontier.push({ table: step.to, path: [...path, step], cost: total });
      }
    }
    return null;
  }
}
