import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValueEntry } from '../values/value-matcher';

/** The warehouses whose catalog snapshots libs/catalog commits. */
export type SnapshotWarehouse = 'bank' | 'berka' | 'bank_marketing';

const SNAPSHOTS = join(__dirname, '..', '..', '..', 'catalog', 'src', 'testing', 'snapshots');

/**
 * One entry per (table.column, value) of a committed catalog snapshot's value index, read as JSON:
 * this lib depends on no other, and the specs need only the values.
 */
export function snapshotEntries(warehouse: SnapshotWarehouse): ValueEntry[] {
  const file = join(SNAPSHOTS, `${warehouse}.catalog.json`);
  if (!existsSync(file)) return [];
  const catalog = JSON.parse(readFileSync(file, 'utf8')) as {
    tables: Array<{ name: string; columns: Array<{ name: string; values?: string[] }> }>;
  };
  return catalog.tables.flatMap((t) =>
    t.columns.flatMap((c) => (c.values ?? []).map((value) => ({ column: `${t.name}.${c.name}`, value }))),
  );
}
