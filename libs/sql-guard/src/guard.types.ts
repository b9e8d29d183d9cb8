/**
 * The SQL guard's contract: what it is told (a policy, usually built from the catalog) and what it
 * answers. The guard is the second wall; the executor role and the read-only transaction are the first.
 */
export const GUARD_CODES = [
  'EMPTY',
  'TOO_LONG',
  'PARSE_ERROR',
  'MULTIPLE_STATEMENTS',
  'NOT_SELECT',
  'SELECT_INTO',
  'LOCKING_CLAUSE',
  'DATA_MODIFYING_CTE',
  'SYSTEM_CATALOG',
  'FORBIDDEN_SCHEMA',
  'UNKNOWN_RELATION',
  'FUNCTION_NOT_ALLOWED',
  'FORBIDDEN_CONSTRUCT',
  'OUTPUT_SHAPE',
  'PII_COLUMN',
  'NOT_FOR_TARGETING',
  'OUTPUT_NOT_ENTITY_KEY',
  'UNBOUNDED_RECURSION',
] as const;

export type GuardCode = (typeof GUARD_CODES)[number];

/** What the guard knows of one relation's columns (from the catalog and its annotations). */
export interface RelationColumns {
  /** Every column, in table order: what `*` expands to. */
  names: readonly string[];
  /** Personal data: never read, anywhere in the query. */
  pii: ReadonlySet<string>;
  /** Personal data the bank approved for filtering: read in conditions, never returned. */
  piiFilterable: ReadonlySet<string>;
  /** The segment entity's key, or a column whose foreign key leads to it: what a segment returns. */
  keys: ReadonlySet<string>;
  /**
   * Known only during or after the current campaign's contact, or its outcome: generated SQL may not
   * read them anywhere. Absent (or empty) in a person's policy: an analyst may study outcomes.
   */
  notForTargeting?: ReadonlySet<string>;
}

export interface GuardPolicy {
  /** Relations the SQL may read, as `schema.table`; unqualified names resolve through `searchPath`. */
  relations: ReadonlySet<string>;
  /**
   * Their columns, by `schema.table`. A relation missing here has no PII and no entity key, and any
   * column name may be one of its columns (BIRD's schemas, which the guard knows by table name only).
   */
  columns: ReadonlyMap<string, RelationColumns>;
  /** The entity keys a segment returns, `schema.table.column`, for reasons; empty when none is known. */
  entityKeys: readonly string[];
  /** Schemas unqualified names are looked up in, in order (the executor role's search_path). */
  searchPath: readonly string[];
  /** Lower-case function names the SQL may call (unqualified or `pg_catalog.`-qualified). */
  functions: ReadonlySet<string>;
  /** Segment queries must return exactly one column (the client id); null allows any shape. */
  outputColumns: 1 | null;
  /** Longest SQL text accepted, in characters. */
  maxLength: number;
  /**
   * `bounded` (person-written SQL): WITH RECURSIVE only with a depth limit the guard can see; its cost
   * estimate says nothing about how long an endless recursion runs. `any` for generated SQL.
   */
  recursion: 'any' | 'bounded';
}

export type GuardVerdict =
  | {
      ok: true;
      /** Relations read, as `schema.table`. */
      relations: string[];
      /** Functions called, lower-case. */
      functions: string[];
    }
  | { ok: false; code: GuardCode; reason: string };
