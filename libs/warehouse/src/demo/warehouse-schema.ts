import { accountTables } from './areas/accounts';
import { analyticsTables } from './areas/analytics';
import { cardTables } from './areas/cards';
import { clientTables } from './areas/clients';
import { depositTables } from './areas/deposits';
import { digitalTables } from './areas/digital';
import { insuranceTables } from './areas/insurance';
import { investmentTables } from './areas/investments';
import { loanTables } from './areas/loans';
import { marketingTables } from './areas/marketing';
import { referenceTables } from './areas/reference';
import { scoreTables } from './areas/scores';
import { serviceTables } from './areas/service';
import type { TableDef } from './table-def';

/** Every table of the demo warehouse, referenced tables before the tables that reference them. */
export const DEMO_TABLES: readonly TableDef[] = [
  ...referenceTables,
  ...clientTables,
  ...accountTables,
  ...depositTables,
  ...cardTables,
  ...loanTables,
  ...insuranceTables,
  ...investmentTables,
  ...digitalTables,
  ...marketingTables,
  ...scoreTables,
  ...serviceTables,
  ...analyticsTables,
];

export function demoTable(name: string): TableDef {
  const table = DEMO_TABLES.find((candidate) => candidate.name === name);
  if (!table) throw new Error(`no demo warehouse table "${name}"`);
  return table;
}
