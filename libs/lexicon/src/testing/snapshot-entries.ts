import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValueEntry } from '../values/value-matcher';

/** The warehouses whose catalog snapshots libs/catalog commits. */
export type SnapshotWarehouse = 'bank' | 'berka' | 'bank_marketing';

const SNAPSHOTS = join(__dirname, '..', '..', '..', 'catalog', 'src', 'testing', 'snapshots');

// Values of Berka's district.a2 (district.csv, column A2) that the specs name, for a snapshot taken
// while the value index still capped a column at 50 values (Berka has 77 districts).
const BERKA_DISTRICTS = [
  'Hl.m. Praha',
  'Praha - vychod',
  'Praha - zapad',
  'Brno - mesto',
  'Brno - venkov',
  'Plzen - mesto',
  'Plzen - jih',
  'Plzen - sever',
  'Ostrava - mesto',
  'Olomouc',
  'Karlovy Vary',
  'Usti nad Labem',
  'Ceske Budejovice',
  'Hradec Kralove',
  'Jesenik',
  'Liberec',
  'Most',
];

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
  const entries = catalog.tables.flatMap((t) =>
    t.columns.flatMap((c) => (c.values ?? []).map((value) => ({ column: `${t.name}.${c.name}`, value }))),
  );
  if (warehouse === 'berka' && !entries.some((e) => e.column === 'district.a2')) {
    entries.push(...BERKA_DISTRICTS.map((value) => ({ column: 'district.a2', value })));
  }
  return entries;
}
