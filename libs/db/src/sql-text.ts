// PostgreSQL's reserved key words and those that cannot be a table or column name (Appendix C).
const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate ' +
    'collation column concurrently constraint create cross current_catalog current_date current_role ' +
    'current_schema current_time current_timestamp current_user default deferrable desc distinct do else end ' +
    'except false fetch for foreign freeze from full grant group having ilike in initially inner intersect ' +
    'into is isnull join lateral leading left like limit localtime localtimestamp natural not notnull null ' +
    'offset on only or order outer overlaps placing primary references returning right select session_user ' +
    'similar some symmetric system_user table tablesample then to trailing true union unique user using ' +
    'variadic verbose when where window with'
  ).split(' '),
);

/** Quotes an SQL identifier (schema, table, column, role) the way PostgreSQL's quote_ident does. */
export function quoteIdent(name: string): string {
  if (name.length === 0 || name.length > 63) throw new Error(`invalid identifier length: "${name}"`);
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** Quotes a text literal (standard_conforming_strings on). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Checks a name given on the command line before it is used as a schema or role name. */
export function assertPlainName(kind: string, name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(
      `${kind} must be lower-case letters, digits and _ (starting with a letter or _), got "${name}"`,
    );
  }
  return name;
}

/** Indents every line of an SQL text by two spaces, for nesting it in a CTE or a subquery. */
export function indentSql(sql: string): string {
  return sql
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
