import type { Catalog, CatalogAnnotations, CatalogColumn } from './catalog.schema';

/**
 * PII marking. The warehouse's annotation file is the authority; the name/comment fallback only
 * catches what nobody annotated yet, so it leans towards flagging a column about a person and leaves
 * alone columns about organisations, reference data and flags/counts derived from personal data.
 *
 * Order of decisions for one column:
 *   1. listed in `pii` → PII (source `annotation`), even if also listed in `notPii` (the safer side);
 *   2. listed in `notPii` → not PII (source `annotation`: a person decided, not the fallback);
 *   3. the fallback says so → PII (source `name`);
 *   4. otherwise → not PII (source `none`).
 *
 * The fallback flags a column when its name matches a personal-data pattern (full/first/last/middle
 * name, fio, phone, mobile, email, passport, inn, snils, address, birth place, identity document
 * number, card number/PAN, IP address, code word) or its comment names one (ФИО, фамилия, имя,
 * отчество, телефон, e-mail, электронная почта, паспорт, ИНН, СНИЛС, адрес, номер карты, место
 * рождения, персональные данные, ПДн, PII, and the English equivalents). It does NOT flag:
 *   - boolean columns (`has_email` says whether, not what);
 *   - names whose first word is a qualifier (`is_`, `has_`, `cnt_`) or whose last word is one
 *     (`_type`, `_status`, `_flag`, `_count`, `_date`, `_id`, `_region`, ...): `phone_type`,
 *     `address_id` (a surrogate key), `passport_issue_date`;
 *   - names whose first word is an organisation or reference entity (`merchant_`, `employer_`,
 *     `branch_`, `product_`, `region_`, ...): `employer_inn`, `branch_address`, `product_name`;
 *   - any column of a table about an organisation or of a reference table (`branches`, `merchants`,
 *     `ref_*`, `dict_*`): their phones and addresses are not a client's;
 *   - a bare `name` (`name`, `name_ru`): in a warehouse that is a reference entity's title;
 *   - comments starting with a qualifier ("Признак наличия телефона", "Код региона по адресу",
 *     "Number of phones") or saying the opposite ("не является персональными данными", "not PII").
 * `birth_date` is deliberately not flagged: segments are cut by age all the time; annotate it if the
 * bank treats it as PII.
 */
export interface PiiMark {
  pii: boolean;
  piiSource: CatalogColumn['piiSource'];
  /** Present (true) only on PII the annotations approve for filtering. */
  piiFilterable?: true;
}

export interface PiiColumnRef {
  schema: string;
  table: string;
  column: string;
  type: string;
  comment: string | null;
}

/** Whether an annotation list names the column, as `table.column` or `schema.table.column`. */
export function refMatches(
  refs: readonly string[],
  column: Pick<PiiColumnRef, 'schema' | 'table' | 'column'>,
): boolean {
  const short = `${column.table}.${column.column}`;
  const full = `${column.schema}.${short}`;
  return refs.some((ref) => ref === short || ref === full);
}

export function markPii(column: PiiColumnRef, annotations?: CatalogAnnotations): PiiMark {
  if (annotations && refMatches(annotations.pii, column)) {
    return refMatches(annotations.piiFilterable ?? [], column)
      ? { pii: true, piiSource: 'annotation', piiFilterable: true }
      : { pii: true, piiSource: 'annotation' };
  }
  if (annotations && refMatches(annotations.notPii, column)) return { pii: false, piiSource: 'annotation' };
  return looksLikePii(column) ? { pii: true, piiSource: 'name' } : { pii: false, piiSource: 'none' };
}

/** Annotation references that match no column of the catalog: usually a typo that leaves PII unmarked. */
export function unmatchedAnnotationRefs(
  annotations: CatalogAnnotations,
  columns: readonly Pick<PiiColumnRef, 'schema' | 'table' | 'column'>[],
): string[] {
  const known = new Set<string>();
  for (const c of columns) {
    known.add(`${c.table}.${c.column}`);
    known.add(`${c.schema}.${c.table}.${c.column}`);
  }
  return [
    ...annotations.pii,
    ...annotations.notPii,
    ...(annotations.piiFilterable ?? []),
    ...(annotations.notForTargeting ?? []),
    ...Object.keys(annotations.valueIndex ?? {}),
  ].filter((ref) => !known.has(ref));
}

/** First words of a column name that make it about an organisation or reference entity, not a person. */
const ENTITY_WORDS = new Set([
  'merchant', 'employer', 'company', 'org', 'organization', 'organisation', 'branch', 'bank', 'partner',
  'vendor', 'supplier', 'agent', 'dealer', 'shop', 'store', 'atm', 'terminal', 'pos', 'department', 'dept',
  'filial', 'region', 'city', 'country', 'product', 'tariff', 'campaign', 'offer', 'segment', 'firm',
  'issuer', 'acquirer', 'mcc', 'currency', 'channel',
]); // prettier-ignore

/** Last words of a table name that make the whole table about organisations (narrower: `client_offers` is about clients). */
const ORGANISATION_TABLE_WORDS = new Set([
  'merchant', 'employer', 'company', 'organization', 'organisation', 'branch', 'office', 'bank', 'partner',
  'vendor', 'supplier', 'agent', 'dealer', 'shop', 'store', 'atm', 'terminal', 'department', 'filial',
  'issuer', 'acquirer',
]); // prettier-ignore

const REFERENCE_TABLE_PREFIXES = new Set(['ref', 'dict', 'spr', 'lookup', 'lkp']);

const LEADING_QUALIFIERS = new Set(['is', 'has', 'can', 'cnt', 'count', 'qty', 'num', 'n']);

const TRAILING_QUALIFIERS = new Set([
  'flag', 'flg', 'verified', 'confirmed', 'count', 'cnt', 'qty', 'type', 'status', 'kind', 'category',
  'id', 'at', 'dt', 'date', 'ts', 'time', 'consent', 'agreement', 'optin', 'allowed', 'exists', 'source',
  'channel', 'changed', 'updated', 'valid', 'len', 'length', 'region', 'city', 'country', 'district',
]); // prettier-ignore

/** Personal-data patterns over the normalised name: lower case, digits dropped, words joined by `_`. */
const NAME_PATTERNS: readonly RegExp[] = [
  /(^|_)(full|first|last|middle|given|family|maiden|second|client|customer|person|holder|cardholder|contact|owner|payer|payee|recipient|sender|beneficiary)_?names?(_|$)/,
  /(^|_)name_(first|last|full|middle)(_|$)/,
  /(^|_)(fio|surname|patronymic|otchestvo|familiya|familia|imya)(_|$)/,
  /(^|_)(phones?|telephone|tel|msisdn|cellphone|phonenumber)(_|$)/,
  /(^|_)mobile(_(number|no|num|tel|phone))?$/,
  /(^|_)(e_?mails?|emailaddress)(_|$)/,
  /(^|_)passport/,
  /(^|_)(inn|snils)(_|$)/,
  /(address|addr|adres|adress)(_|$)/,
  /(^|_)(birth_?place|place_of_birth|mesto_rozhdeniya)(_|$)/,
  /(^|_)(doc|document|id_doc|identity_doc|identity_document|udl)_?(number|no|num|series|ser|seria|nomer)(_|$)/,
  /(^|_)card_?(number|no|num|pan)(_|$)/,
  /(^|_)(masked_)?pan(_|$)/,
  /(^|_)ipv?(_addr|_address)?$/,
  /(^|_)(code_?word|secret_word|kodovoe_slovo|driver_licen[cs]e|driving_licen[cs]e|ssn)(_|$)/,
];

// JavaScript's \b knows only ASCII letters; these boundaries work for Cyrillic too.
const W = (body: string) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${body})(?![\\p{L}\\p{N}])`, 'iu');
const STEM = (body: string) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${body})`, 'iu');

const COMMENT_PATTERNS: readonly RegExp[] = [
  W('ФИО|ПДн|ИНН|СНИЛС|PII|имя|имени'),
  STEM('фамили|отчеств|телефон|паспорт|адрес'),
  STEM('электронн\\p{L}*\\s+почт|эл\\.\\s*почт|e-?mail'),
  STEM('номер\\p{L}*\\s+(?:\\p{L}+\\s+)?карт'),
  STEM('мест\\p{L}*\\s+рождени'),
  STEM('персональн\\p{L}*\\s+данн'),
  W('personal data|full name|first name|last name|middle name|surname|passport|place of birth'),
  STEM('phone|telephone|address|card number'),
];

const COMMENT_NEGATION = STEM('(?:не|без|not|no|non)[\\s-]+(?:\\p{L}+\\s+)?(?:pii|пдн|персональн|personal)');

const COMMENT_LEADING_QUALIFIER = W(
  'признак|флаг|тип|вид|дата|количество|кол-во|наличие|статус|код|регион|город|страна|источник|канал|согласие|' +
    'flag|type|date|count|whether|is|has|status|code|region|city|country|source|channel|consent',
);

function words(name: string): string[] {
  return name
    .toLowerCase()
    .replace(/\d+/g, '')
    .split(/[^a-z]+/)
    .filter(Boolean);
}

function singular(word: string): string[] {
  const forms = [word];
  if (word.endsWith('ies')) forms.push(`${word.slice(0, -3)}y`);
  if (word.endsWith('es')) forms.push(word.slice(0, -2));
  if (word.endsWith('s')) forms.push(word.slice(0, -1));
  return forms;
}

function inSet(set: ReadonlySet<string>, word: string | undefined): boolean {
  return word !== undefined && singular(word).some((form) => set.has(form));
}

/** A table about organisations or a reference table: its contact details are not a client's. */
function isOrganisationTable(table: string): boolean {
  const parts = words(table);
  if (parts.length > 1 && REFERENCE_TABLE_PREFIXES.has(parts[0]!)) return true;
  return inSet(ORGANISATION_TABLE_WORDS, parts.at(-1));
}

function nameSaysPii(parts: string[]): boolean {
  const normalised = parts.join('_');
  return NAME_PATTERNS.some((pattern) => pattern.test(normalised));
}

function commentSaysPii(comment: string | null): boolean {
  if (!comment) return false;
  const text = comment.replace(/^\s*\[[^\]]*\]\s*/, '').trim();
  if (COMMENT_NEGATION.test(text)) return false;
  if (COMMENT_LEADING_QUALIFIER.test(text.split(/\s+/, 1)[0] ?? '') || /^number of\b/i.test(text))
    return false;
  return COMMENT_PATTERNS.some((pattern) => pattern.test(text));
}

/** The name/comment fallback alone, without annotations. */
export function looksLikePii(column: Omit<PiiColumnRef, 'schema'>): boolean {
  if (column.type === 'boolean') return false;
  if (isOrganisationTable(column.table)) return false;
  const parts = words(column.column);
  if (parts.length === 0) return commentSaysPii(column.comment);
  if (LEADING_QUALIFIERS.has(parts[0]!) && parts.length > 1) return false;
  if (TRAILING_QUALIFIERS.has(parts.at(-1)!) && parts.length > 1) return false;
  if (inSet(ENTITY_WORDS, parts[0]) && parts.length > 1) return false;
  return nameSaysPii(parts) || commentSaysPii(column.comment);
}

/**
 * Whether nothing may read a column: personal data the annotations do not approve for filtering. The
 * executor role is not granted it, the guard refuses any reference to it, no criterion compiles on
 * it, and no prompt shows it.
 */
export function isHiddenPii(column: Pick<CatalogColumn, 'pii' | 'piiFilterable'>): boolean {
  return column.pii && !column.piiFilterable;
}

/** The catalog's hidden columns (`isHiddenPii`), for the executor role's grants. */
export function hiddenPiiColumns(catalog: Catalog): { schema: string; table: string; column: string }[] {
  return catalog.tables.flatMap((table) =>
    table.columns
      .filter(isHiddenPii)
      .map((column) => ({ schema: table.schema, table: table.name, column: column.name })),
  );
}
