import type { Catalog, CatalogColumn, CatalogTable } from '@t2s/catalog';
import { catalogColumn, catalogOf, catalogTable } from '@t2s/catalog/testing';

/**
 * A small fake catalog (schema `bank`) for the guard's specs: tables, their columns, the foreign keys
 * that lead to the client, `client.full_name` as personal data, `client.birth_date` as personal
 * data approved for filtering, and the outcome of a campaign's call as not for targeting.
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
  campaign_call: ['client_id', 'campaign', 'called_at', 'call_seconds', 'subscribed'],
};

const MARKS: Record<string, Partial<CatalogColumn>> = {
  'client.full_name': { pii: true, piiSource: 'annotation' },
  'client.birth_date': { pii: true, piiSource: 'annotation', piiFilterable: true },
  'campaign_call.called_at': { notForTargeting: true },
  'campaign_call.call_seconds': { notForTargeting: true },
  'campaign_call.subscribed': { notForTargeting: true },
};

/** Foreign keys by `table.column`: the referenced table (its first column). */
const REFERENCES: Record<string, string> = {
  'account.client_id': 'client',
  'card.client_id': 'client',
  'card.account_id': 'account',
  'card_transaction.card_id': 'card',
  'card_transaction.mcc': 'mcc_code',
  'deposit.client_id': 'client',
  'loan.client_id': 'client',
  'marketing_consent.client_id': 'client',
  'contact_history.client_id': 'client',
  'digital_session.client_id': 'client',
  'campaign_call.client_id': 'client',
};

function table(name: string, columns: string[]): CatalogTable {
  return catalogTable(name, {
    primaryKey: [columns[0] as string],
    columns: columns.map((c) => catalogColumn(c, MARKS[`${name}.${c}`])),
    foreignKeys: columns.flatMap((c) => {
      const target = REFERENCES[`${name}.${c}`];
      if (target === undefined) return [];
      const refColumn = TABLES[target]?.[0] as string;
      return [
        {
          name: `${name}_${c}_fkey`,
          columns: [c],
          refSchema: 'bank',
          refTable: target,
          refColumns: [refColumn],
        },
      ];
    }),
  });
}

export const BANK_TEST_CATALOG: Catalog = catalogOf(
  [
    ...Object.entries(TABLES).map(([name, columns]) => table(name, columns)),
    { ...table('client_balance', ['client_id', 'balance']), kind: 'view' },
  ],
  { database: 'test', generatedAt: '2026-01-01T00:00:00.000Z' },
);
