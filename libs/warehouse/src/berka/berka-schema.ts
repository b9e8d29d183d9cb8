/**
 * The PKDD'99 (Berka) "financial" data set as a second warehouse: a real Czech bank's schema that
 * t2s was never tuned for. Every comment is taken from the data set's own documentation.txt (typos
 * such as "insurrance" or "unemploymant" corrected, nothing added) or, for what this copy changed
 * (decoded gender and birth date, ISO dates), from ../shared/datasets/README.md. Where the
 * documentation is silent (e.g. the unit of loan.duration, an empty order.k_symbol) the comment says
 * nothing or says that it is silent, because the comments are what the SQL generator reads.
 *
 * Table and column names are the data set's own, lower-cased (district A2..A16 -> a2..a16), so that
 * the BIRD gold queries over this schema (which write `A11`, `"order"`) run unchanged. For the same
 * reason the permanent-order table stays `order` although it is a reserved word: the loader always
 * double-quotes table names, and the table comment tells the reader to.
 *
 * PII: the data set is anonymised research data (record numbers, no names; the birth number is only
 * present decoded) but is treated as a bank's real data, conservatively: the client's birth date and
 * address district and a third party's account number are marked. Gender is not, as in the demo
 * warehouse: its two values identify nobody, and a PII mark would keep them out of the value index
 * that tells the SQL generator how the column is spelled ('M'/'F'; the documentation does not say).
 */
export interface BerkaColumn {
  name: string;
  type: string;
  comment: string;
  nullable: boolean;
  pii: boolean;
}

export interface BerkaForeignKey {
  column: string;
  refTable: string;
  refColumn: string;
}

export interface BerkaTable {
  /** Also the CSV file's base name. */
  name: string;
  comment: string;
  /** In the CSV file's column order. */
  columns: BerkaColumn[];
  primaryKey: string;
  /** Single-column unique constraints the documentation states. */
  unique: string[];
  foreignKeys: BerkaForeignKey[];
}

/** `col('amount', 'numeric(12,2)', 'debited amount')`; flags: `null` = nullable, `pii` = personal data. */
function col(name: string, type: string, comment: string, ...flags: Array<'null' | 'pii'>): BerkaColumn {
  return { name, type, comment, nullable: flags.includes('null'), pii: flags.includes('pii') };
}

const SOURCE = "PKDD'99 Discovery Challenge financial data set (a Czech bank, 1993-1998).";
const MONEY = 'numeric(12,2)';

export const BERKA_TABLES: BerkaTable[] = [
  {
    name: 'account',
    comment:
      'Relation account: each record describes static characteristics of an account (e.g. date of creation, ' +
      'address of the branch). Its dynamic characteristics (payments debited or credited, balances) are in ' +
      'relations permanent order (table "order") and transaction (not included in this copy). ' +
      SOURCE,
    columns: [
      col('account_id', 'integer', 'Identification of the account.'),
      col('district_id', 'integer', 'Location of the branch (district, see table district).'),
      col(
        'frequency',
        'text',
        'Frequency of issuance of statements: "POPLATEK MESICNE" stands for monthly issuance, ' +
          '"POPLATEK TYDNE" stands for weekly issuance, "POPLATEK PO OBRATU" stands for issuance after transaction.',
      ),
      col('date', 'date', 'Date of creating of the account.'),
    ],
    primaryKey: 'account_id',
    unique: [],
    foreignKeys: [{ column: 'district_id', refTable: 'district', refColumn: 'district_id' }],
  },
  {
    name: 'client',
    comment:
      'Relation client: each record describes characteristics of a client, a person who can manipulate with ' +
      'the accounts. One client can have more accounts, more clients can manipulate with single account; ' +
      'clients and accounts are related together in relation disposition (table disp). ' +
      SOURCE,
    columns: [
      col('client_id', 'integer', 'Record identifier.'),
      col(
        'gender',
        'text',
        'Gender of the client, decoded from the birth number (identification of client) by the distributor of ' +
          'this copy. The birth number is in the form YYMMDD for men and YYMM+50DD for women, where YYMMDD is ' +
          'the date of birth.',
      ),
      col(
        'birth_date',
        'date',
        'Date of birth of the client, decoded from the birth number (identification of client) by the ' +
          'distributor of this copy. The birth number is in the form YYMMDD for men and YYMM+50DD for women, ' +
          'where YYMMDD is the date of birth.',
        'pii',
      ),
      col('district_id', 'integer', 'Address of the client (district, see table district).', 'pii'),
    ],
    primaryKey: 'client_id',
    unique: [],
    foreignKeys: [{ column: 'district_id', refTable: 'district', refColumn: 'district_id' }],
  },
  {
    name: 'disp',
    comment:
      'Relation disposition: each record relates together a client with an account (which clients can ' +
      'manipulate with which accounts). ' +
      SOURCE,
    columns: [
      col('disp_id', 'integer', 'Record identifier.'),
      col('client_id', 'integer', 'Identification of a client.'),
      col('account_id', 'integer', 'Identification of an account.'),
      col(
        'type',
        'text',
        'Type of disposition (owner/user); only owner can issue permanent orders and ask for a loan. ' +
          'The values in the data are "OWNER" and "DISPONENT"; the documentation names the two types only as ' +
          'owner/user.',
      ),
    ],
    primaryKey: 'disp_id',
    unique: [],
    foreignKeys: [
      { column: 'client_id', refTable: 'client', refColumn: 'client_id' },
      { column: 'account_id', refTable: 'account', refColumn: 'account_id' },
    ],
  },
  {
    name: 'order',
    comment:
      'Relation permanent order: each record describes characteristics of a payment order. The table keeps ' +
      'the data set\'s name "order", an SQL reserved word: write it in double quotes, "order". ' +
      SOURCE,
    columns: [
      col('order_id', 'integer', 'Record identifier.'),
      col('account_id', 'integer', 'Account, the order is issued for.'),
      col('bank_to', 'text', 'Bank of the recipient; each bank has unique two-letter code.'),
      // An account number like account_id rather than a code: integer, as in BIRD's schema of this data set.
      col('account_to', 'integer', 'Account of the recipient.', 'pii'),
      col('amount', MONEY, 'Debited amount.'),
      col(
        'k_symbol',
        'text',
        'Characterization of the payment: "POJISTNE" stands for insurance payment, "SIPO" stands for ' +
          'household, "LEASING" stands for leasing, "UVER" stands for loan payment. NULL where the file gives ' +
          'no characterization (the documentation does not list an empty one).',
        'null',
      ),
    ],
    primaryKey: 'order_id',
    unique: [],
    foreignKeys: [{ column: 'account_id', refTable: 'account', refColumn: 'account_id' }],
  },
  {
    name: 'loan',
    comment:
      'Relation loan: each record describes a loan granted for a given account; at most one loan can be ' +
      'granted for an account. ' +
      SOURCE,
    columns: [
      col('loan_id', 'integer', 'Record identifier.'),
      col('account_id', 'integer', 'Identification of the account.'),
      col('date', 'date', 'Date when the loan was granted.'),
      col('amount', MONEY, 'Amount of money.'),
      col('duration', 'integer', 'Duration of the loan.'),
      col('payments', MONEY, 'Monthly payments.'),
      col(
        'status',
        'text',
        "Status of paying off the loan: 'A' stands for contract finished, no problems; 'B' stands for contract " +
          "finished, loan not paid; 'C' stands for running contract, OK so far; 'D' stands for running " +
          'contract, client in debt.',
      ),
    ],
    primaryKey: 'loan_id',
    unique: ['account_id'],
    foreignKeys: [{ column: 'account_id', refTable: 'account', refColumn: 'account_id' }],
  },
  {
    name: 'card',
    comment:
      'Relation credit card: each record describes a credit card issued to an account (through a ' +
      'disposition); more credit cards can be issued to an account. ' +
      SOURCE,
    columns: [
      col('card_id', 'integer', 'Record identifier.'),
      col('disp_id', 'integer', 'Disposition to an account.'),
      col('type', 'text', 'Type of card; possible values are "junior", "classic", "gold".'),
      col('issued', 'date', 'Issue date.'),
    ],
    primaryKey: 'card_id',
    unique: [],
    foreignKeys: [{ column: 'disp_id', refTable: 'disp', refColumn: 'disp_id' }],
  },
  {
    name: 'district',
    comment:
      'Relation demographic data: each record describes demographic characteristics of a district, publicly ' +
      "available information (e.g. the unemployment rate). Columns keep the data set's names A2-A16 " +
      '(lower-case here); A1 is district_id. ' +
      SOURCE,
    columns: [
      col('district_id', 'integer', 'A1: district code.'),
      col('a2', 'text', 'A2: district name.'),
      col('a3', 'text', 'A3: region.'),
      col('a4', 'integer', 'A4: no. of inhabitants.'),
      col('a5', 'integer', 'A5: no. of municipalities with inhabitants < 499.'),
      col('a6', 'integer', 'A6: no. of municipalities with inhabitants 500-1999.'),
      col('a7', 'integer', 'A7: no. of municipalities with inhabitants 2000-9999.'),
      col('a8', 'integer', 'A8: no. of municipalities with inhabitants > 10000.'),
      col('a9', 'integer', 'A9: no. of cities.'),
      col('a10', 'numeric(5,1)', 'A10: ratio of urban inhabitants.'),
      col('a11', MONEY, 'A11: average salary.'),
      col('a12', 'numeric(5,2)', "A12: unemployment rate '95."),
      col('a13', 'numeric(5,2)', "A13: unemployment rate '96."),
      col('a14', 'integer', 'A14: no. of entrepreneurs per 1000 inhabitants.'),
      col('a15', 'integer', "A15: no. of committed crimes '95."),
      col('a16', 'integer', "A16: no. of committed crimes '96."),
    ],
    primaryKey: 'district_id',
    unique: [],
    foreignKeys: [],
  },
];

/** `table.column` of every column marked as personal data, as the annotation file lists them. */
export function berkaPiiColumns(): string[] {
  return BERKA_TABLES.flatMap((t) => t.columns.filter((c) => c.pii).map((c) => `${t.name}.${c.name}`));
}
