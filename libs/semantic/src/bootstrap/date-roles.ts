import type { CatalogColumn, CatalogTable } from '@t2s/catalog';

/**
 * What a date column means for its row, read from its comment:
 *   - `birth`: the client's date of birth (an age is counted from it);
 *   - `report`: the warehouse's report or load date (its "today");
 *   - `start`: when the row began or happened (opened, issued, the operation's date): the row's date;
 *   - `period`: the end of the period a snapshot row describes ("Последний день месяца"): the row's date;
 *   - `end`: when the row ended (closed, cancelled, revoked), typically empty while it is active;
 *   - `planned`: a scheduled date (maturity, expiry, a payment's due date): not the row's end;
 *   - `updated`: when the record was last brought up to date: says nothing of the client;
 *   - `last`: the latest of something (the last login, the last product opened).
 */
export type DateRole = 'birth' | 'report' | 'start' | 'period' | 'end' | 'planned' | 'updated' | 'last';

const ROLES: [DateRole, RegExp][] = [
  ['birth', /(дат\p{L}* рождения|год\p{L}* рождения|date of birth|birth ?date|born)/iu],
  ['report', /(отч[её]тн\p{L}* дат\p{L}*|report(?:ing)? date|load date|дата загрузки|as-of date)/iu],
  ['period', /(последний день|на конец (месяца|периода)|month end|end of (the )?month)/iu],
  [
    'planned',
    /(планов\p{L}*|по графику|(?<!\p{L})срок\p{L}*|planned|scheduled|(?<!\p{L})due(?!\p{L})|expir\p{L}*|maturity|matures)/iu,
  ],
  [
    'end',
    /(закрыти\p{L}*|окончани\p{L}*|прекращени\p{L}*|отключени\p{L}*|погашени\p{L}*|отзыв\p{L}*|расторжени\p{L}*|(?<!\p{L})(closed?|closing|end|ended|finished|cancell?ed|terminated|revoked)(?!\p{L}))/iu,
  ],
  [
    'updated',
    /(актуализаци\p{L}*|обновлени\p{L}*|пересч[её]т\p{L}*|(?<!\p{L})(updated|refreshed)(?!\p{L}))/iu,
  ],
  ['last', /(последн\p{L}*|(?<!\p{L})(last|latest)(?!\p{L}))/iu],
];

/** `date`, `timestamp`, `timestamp with(out) time zone`. */
export function isDateType(type: string): boolean {
  return /^(date|timestamp)/u.test(type);
}

/** The role of a date column by its comment; a date the comment says nothing special of is a `start`. */
export function dateRole(column: Pick<CatalogColumn, 'type' | 'comment'>): DateRole | null {
  if (!isDateType(column.type)) return null;
  const comment = column.comment ?? '';
  for (const [role, pattern] of ROLES) if (pattern.test(comment)) return role;
  return 'start';
}

/** Empty while the row is active ("пусто у действующих", "NULL while open"): the mark of an end date. */
function emptyWhileActive(comment: string | null): boolean {
  return /(пусто|null|empty)/iu.test(comment ?? '');
}

/**
 * The date a table's rows are dated by (a year or a period about them refers to it) and the date they
 * end by: the first start or period column, and the end column, preferring one empty while active.
 */
export function tableDates(
  table: CatalogTable,
  readable: (column: CatalogColumn) => boolean = () => true,
): { date?: string; endDate?: string } {
  const roles = table.columns.filter(readable).map((column) => ({ column, role: dateRole(column) }));
  const date = roles.find((r) => r.role === 'start' || r.role === 'period')?.column.name;
  const ends = roles.filter((r) => r.role === 'end').map((r) => r.column);
  const endDate = (ends.find((c) => emptyWhileActive(c.comment)) ?? ends[0])?.name;
  return { ...(date ? { date } : {}), ...(endDate && endDate !== date ? { endDate } : {}) };
}
