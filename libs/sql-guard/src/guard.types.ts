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
] as const;

export type GuardCode = (typeof GUARD_CODES)[number];

export interface GuardPolicy {
  /** Relations the SQL may read, as `schema.table`; unqualified names resolve through `searchPath`. */
  relations: ReadonlySet<string>;
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
