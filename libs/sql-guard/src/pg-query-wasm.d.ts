/**
 * The emscripten factory inside `libpg-query` (18.x). The package's own `parseSync` wraps one shared
 * instance that cannot be replaced; the guard needs fresh instances (see pg-parser.ts), so it calls
 * the factory and the exported C functions itself, exactly as the package's wasm/index.cjs does.
 */
declare module 'libpg-query/wasm/libpg-query.js' {
  export interface PgQueryWasm {
    _malloc(size: number): number;
    _free(ptr: number): void;
    /** Returns a PgQueryParseResult*: { char* parse_tree; char* stderr_buffer; PgQueryError* error }. */
    _wasm_parse_query_raw(queryPtr: number): number;
    _wasm_free_parse_result(resultPtr: number): void;
    /** Returns a char*: the tokens as JSON, or an error message. */
    _wasm_scan(queryPtr: number): number;
    _wasm_free_string(ptr: number): void;
    getValue(ptr: number, type: 'i32'): number;
    UTF8ToString(ptr: number): string;
    stringToUTF8(text: string, ptr: number, maxBytes: number): number;
    lengthBytesUTF8(text: string): number;
  }

  const createPgQueryModule: (moduleArg?: object) => Promise<PgQueryWasm>;
  export default createPgQueryModule;
}
