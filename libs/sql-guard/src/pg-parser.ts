import createPgQueryModule, { type PgQueryWasm } from 'libpg-query/wasm/libpg-query.js';

/**
 * PostgreSQL's own parser and scanner (libpg_query compiled to WebAssembly), called synchronously.
 *
 * Why not the package's `parseSync`: a statement nested deeply enough (`1+1+...` ten thousand times
 * fits in 20 kB) overflows the native stack inside the WebAssembly. The trap leaves the instance's
 * memory contexts and stack pointer behind; after a few dozen such traps the shared instance answers
 * every query with "table index is out of bounds" for the rest of the process. The guard prevents
 * most traps (nesting-budget.ts) and, for any that still happen, drops the instance and switches to a
 * spare loaded in advance, loading the next spare in the background. With no instance ready it fails
 * closed: the caller turns that into PARSE_ERROR.
 */

export type ParseOutcome =
  | { ok: true; tree: unknown }
  | {
      ok: false;
      message: string;
      /** 0-based character offset, when PostgreSQL gave one. */
      position?: number;
    };

export interface ScanToken {
  start: number;
  end: number;
  text: string;
  tokenName: string;
  /** 0 for a non-keyword. */
  keywordKind: number;
}

export type ScanOutcome = { ok: true; tokens: ScanToken[] } | { ok: false; message: string };

/** The WebAssembly itself failed (not a syntax error): the instance that did it is no longer used. */
export class ParserCrash extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParserCrash';
  }
}

let current: PgQueryWasm | null = null;
let spare: PgQueryWasm | null = null;
let loading: Promise<void> | null = null;
let refilling: Promise<void> | null = null;
let loaded = false;
let crashes = 0;

/** Loads the parser once (a second instance is kept as the spare); later calls return at once. */
export function loadParser(): Promise<void> {
  loading ??= Promise.all([createPgQueryModule(), createPgQueryModule()]).then(
    ([first, second]) => {
      current = first;
      spare = second;
      loaded = true;
      warmUp();
    },
    (error: unknown) => {
      loading = null; // let a later call try again
      throw error;
    },
  );
  return loading;
}

// The first calls into a fresh instance pay for V8 compiling the WebAssembly they touch (tens of
// ms); one representative statement at load time moves most of that out of the first real check.
const WARM_UP_SQL = `WITH a AS (SELECT id FROM t WHERE extract(year FROM age(d)) > 1 AND c IN ('x', 'y'))
  SELECT a.id FROM a JOIN u ON u.id = a.id WHERE EXISTS (SELECT 1 FROM v WHERE v.id = a.id)
  AND CASE WHEN a.s = 'x' THEN now() - interval '1 day' > d ELSE coalesce(a.s, '') LIKE 'y%' END
  GROUP BY a.id HAVING count(*) > 1 ORDER BY 1 LIMIT 10`;

function warmUp(): void {
  try {
    scanSql(WARM_UP_SQL);
    parseSql(WARM_UP_SQL);
  } catch {
    // a crash here only retires the instance, as it would on a real query
  }
}

/** True once the first load finished, even while a crashed instance is being replaced. */
export function parserLoaded(): boolean {
  return loaded;
}

/** How many instances were dropped after a crash since the process started (for tests and ops). */
export function parserCrashCount(): number {
  return crashes;
}

/** Loads instances until both the current and the spare slot are filled again. */
function refillInBackground(): void {
  refilling ??= createPgQueryModule().then(
    (instance) => {
      refilling = null;
      if (current === null) current = instance;
      else spare = instance;
      if (spare === null) refillInBackground();
    },
    () => {
      refilling = null; // the next crash tries again; until then the guard fails closed
    },
  );
}

/** Resolves when no replacement instance is being loaded (tests wait on it instead of sleeping). */
export async function parserSettled(): Promise<void> {
  while (refilling !== null) await refilling;
}

/** Runs `fn` on the current instance; any exception out of the WebAssembly retires that instance. */
function withInstance<T>(fn: (wasm: PgQueryWasm) => T): T {
  const wasm = current;
  if (wasm === null) {
    if (!loaded) throw new ParserCrash('the SQL parser is not loaded');
    refillInBackground();
    throw new ParserCrash('the SQL parser is restarting after a crash; retry shortly');
  }
  try {
    return fn(wasm);
  } catch (error) {
    crashes += 1;
    current = spare;
    spare = null;
    refillInBackground();
    const cause = error instanceof Error ? error.message : String(error);
    throw new ParserCrash(`the SQL parser crashed on this input (${cause})`);
  }
}

/** Copies `text` into the instance's memory as a NUL-terminated UTF-8 string for the duration of `fn`. */
function withCString<T>(wasm: PgQueryWasm, text: string, fn: (ptr: number) => T): T {
  const size = wasm.lengthBytesUTF8(text) + 1;
  const ptr = wasm._malloc(size);
  if (!ptr) throw new Error('out of memory');
  try {
    wasm.stringToUTF8(text, ptr, size);
    return fn(ptr);
  } finally {
    wasm._free(ptr);
  }
}

/** Parses into pg_query's JSON tree; a syntax error is an outcome, a crash throws ParserCrash. */
export function parseSql(sql: string): ParseOutcome {
  type Raw = { json: string } | { error: string; position: number | undefined };
  const raw = withInstance<Raw>((wasm) =>
    withCString(wasm, sql, (queryPtr) => {
      const result = wasm._wasm_parse_query_raw(queryPtr);
      if (!result) throw new Error('out of memory');
      try {
        const treePtr = wasm.getValue(result, 'i32');
        const errorPtr = wasm.getValue(result + 8, 'i32');
        if (errorPtr) {
          const messagePtr = wasm.getValue(errorPtr, 'i32');
          const cursor = wasm.getValue(errorPtr + 16, 'i32');
          return {
            error: messagePtr ? wasm.UTF8ToString(messagePtr) : 'syntax error',
            position: cursor > 0 ? cursor - 1 : undefined,
          };
        }
        return { json: treePtr ? wasm.UTF8ToString(treePtr) : '' };
      } finally {
        wasm._wasm_free_parse_result(result);
      }
    }),
  );
  if ('error' in raw) return { ok: false, message: raw.error, position: raw.position };
  try {
    return { ok: true, tree: JSON.parse(raw.json) };
  } catch {
    return { ok: false, message: 'the parser produced no readable tree' };
  }
}

/** Splits into PostgreSQL's tokens (comments included); flex is iterative, so this never nests. */
export function scanSql(sql: string): ScanOutcome {
  const text = withInstance((wasm) =>
    withCString(wasm, sql, (queryPtr) => {
      const result = wasm._wasm_scan(queryPtr);
      if (!result) throw new Error('out of memory');
      try {
        return wasm.UTF8ToString(result);
      } finally {
        wasm._wasm_free_string(result);
      }
    }),
  );
  if (!text.startsWith('{')) return { ok: false, message: text || 'unreadable input' };
  try {
    const parsed = JSON.parse(text) as { tokens?: ScanToken[] };
    return { ok: true, tokens: parsed.tokens ?? [] };
  } catch {
    return { ok: false, message: 'the scanner produced no readable tokens' };
  }
}
