/**
 * The UCI Bank Marketing data set (Moro, Laureano and Cortez, 2011) as a third warehouse: one table,
 * `client`, one row per line of bank-full.csv. Every comment is the data set's own wording from
 * bank-names.txt (attribute descriptions with their `(categorical: ...)` / `(binary: ...)` lists and
 * units, and the heading each attribute stands under), capitalised; only `client_id`, which this copy
 * adds, is described in words of ours, because the comments are what the SQL generator reads.
 *
 * Names are the data set's own, so SQL written against the UCI description runs unchanged; `default`
 * is a reserved word, so the loader always quotes column names.
 *
 * PII: none directly (no names, contacts or identifiers; age and job alone identify nobody). Columns
 * about the current campaign's last contact and its outcome are known only during or after that
 * contact: the annotation file marks them not for targeting (`notForTargeting`).
 */
export interface BankMarketingColumn {
  name: string;
  type: 'integer' | 'text';
  comment: string;
  /** Known only during or after the current campaign's contact, or its outcome. */
  notForTargeting: boolean;
}

const CLIENT_DATA = 'Bank client data.';
const LAST_CONTACT = 'Related with the last contact of the current campaign.';

/** `col('duration', 'integer', 'Last contact duration...', 'notForTargeting')`. */
function col(
  name: string,
  type: BankMarketingColumn['type'],
  comment: string,
  flag?: 'notForTargeting',
): BankMarketingColumn {
  return { name, type, comment, notForTargeting: flag === 'notForTargeting' };
}

/** The CSV's header, in file order (the table's columns after `client_id`). */
export const BANK_MARKETING_CSV_COLUMNS = [
  'age',
  'job',
  'marital',
  'education',
  'default',
  'balance',
  'housing',
  'loan',
  'contact',
  'day',
  'month',
  'duration',
  'campaign',
  'pdays',
  'previous',
  'poutcome',
  'y',
] as const;

export const BANK_MARKETING_TABLE = {
  name: 'client',
  /** The data set's only file this warehouse loads (bank.csv is a 10% sample of it). */
  file: 'bank-full.csv',
  comment:
    'Bank Marketing (UCI): each row is one client of a Portuguese banking institution, contacted by its ' +
    'direct marketing campaigns based on phone calls between May 2008 and November 2010 (bank-full.csv, ' +
    "ordered by date), with the last contact of the current campaign and its outcome. From the data set's " +
    'description: The data is related with direct marketing campaigns of a Portuguese banking institution. ' +
    'The marketing campaigns were based on phone calls. Often, more than one contact to the same client was ' +
    'required, in order to access if the product (bank term deposit) would be (or not) subscribed. The ' +
    'classification goal is to predict if the client will subscribe a term deposit (variable y). Source: ' +
    'S. Moro, R. Laureano and P. Cortez, Using Data Mining for Bank Direct Marketing: An Application of the ' +
    'CRISP-DM Methodology, ESM 2011.',
  columns: [
    col(
      'client_id',
      'integer',
      'Row number of the client in bank-full.csv (1-based, in file order, which is by date of contact); ' +
        'added by this copy, not part of the data set.',
    ),
    col('age', 'integer', `Age (numeric). ${CLIENT_DATA}`),
    col(
      'job',
      'text',
      'Type of job (categorical: "admin.","unknown","unemployed","management","housemaid","entrepreneur",' +
        `"student","blue-collar","self-employed","retired","technician","services"). ${CLIENT_DATA}`,
    ),
    col(
      'marital',
      'text',
      'Marital status (categorical: "married","divorced","single"; note: "divorced" means divorced or ' +
        `widowed). ${CLIENT_DATA}`,
    ),
    col(
      'education',
      'text',
      `Education (categorical: "unknown","secondary","primary","tertiary"). ${CLIENT_DATA}`,
    ),
    col('default', 'text', `Has credit in default? (binary: "yes","no"). ${CLIENT_DATA}`),
    col('balance', 'integer', `Average yearly balance, in euros (numeric). ${CLIENT_DATA}`),
    col('housing', 'text', `Has housing loan? (binary: "yes","no"). ${CLIENT_DATA}`),
    col('loan', 'text', `Has personal loan? (binary: "yes","no"). ${CLIENT_DATA}`),
    col(
      'contact',
      'text',
      `Contact communication type (categorical: "unknown","telephone","cellular"). ${LAST_CONTACT}`,
      'notForTargeting',
    ),
    col('day', 'integer', `Last contact day of the month (numeric). ${LAST_CONTACT}`, 'notForTargeting'),
    col(
      'month',
      'text',
      `Last contact month of year (categorical: "jan", "feb", "mar", ..., "nov", "dec"). ${LAST_CONTACT}`,
      'notForTargeting',
    ),
    col(
      'duration',
      'integer',
      `Last contact duration, in seconds (numeric). ${LAST_CONTACT}`,
      'notForTargeting',
    ),
    col(
      'campaign',
      'integer',
      'Number of contacts performed during this campaign and for this client (numeric, includes last ' +
        'contact).',
      'notForTargeting',
    ),
    col(
      'pdays',
      'integer',
      'Number of days that passed by after the client was last contacted from a previous campaign ' +
        '(numeric, -1 means client was not previously contacted).',
    ),
    col(
      'previous',
      'integer',
      'Number of contacts performed before this campaign and for this client (numeric).',
    ),
    col(
      'poutcome',
      'text',
      'Outcome of the previous marketing campaign (categorical: "unknown","other","failure","success").',
    ),
    col(
      'y',
      'text',
      'Output variable (desired target): has the client subscribed a term deposit? (binary: "yes","no").',
      'notForTargeting',
    ),
  ],
} as const satisfies { name: string; file: string; comment: string; columns: BankMarketingColumn[] };

/** `client.column` of every column not for targeting, as the annotation file lists them. */
export function bankMarketingNotForTargeting(): string[] {
  return BANK_MARKETING_TABLE.columns
    .filter((c) => c.notForTargeting)
    .map((c) => `${BANK_MARKETING_TABLE.name}.${c.name}`);
}
