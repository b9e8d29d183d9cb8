import type { Catalog, CatalogTable } from '@t2s/catalog';
import { catalogColumn, catalogOf, catalogTable } from '@t2s/catalog/testing';

/**
 * A small fake catalog (schema `bank`) for the guard's specs: the guard reads only table names, so
 * each table carries just enough columns to be a valid Catalog.
 */
const TABLES: Record<string, string[]> = {
  client: ['client_id', 'full_name', 'birth_date', 'gender', 'city', 'segment', 'created_at'],
  account: ['account_id', 'client_id', 'currency', 'balance', 'opened_at'],
  card: ['card_id', 'client_id', 'account_id', 'card_type', 'status', 'issued_at'],
  card_transaction: ['txn_id', 'card_id', 'amount', 'mcc', 'txn_at'],
  mcc_code: ['mcc', 'category'],
  deposit: ['deposit_id', 'client_id', 'amount', 'opened_at', 'closed_at'],
  loan: ['loan_id', 'client_id', 'amount', 'status', 'issued_at'],
  marketing_consent: ['client_id', 'channel', 'granted'],
  contact_history: ['client_id', 'channel', 'campaign', 'contacted_at'],
  digital_session: ['client_id', 'device', 'started_at'],
};

function table(name: string, columns: string[]): CatalogTable {
  return catalogTable(name, {
    primaryKey: [columns[0] as string],
    columns: columns.map((c) => catalogColumn(c)),
  });
}

export const BANK_TEST_CATALOG: Catalog = catalogOf(
  [
    ...Object.entries(TABLES).map(([name, columns]) => table(name, columns)),
    { ...table('client_balance', ['client_id', 'balance']), kind: 'view' },
  ],
  { database: 'test', generatedAt: '2026-01-01T00:00:00.000Z' },
);
