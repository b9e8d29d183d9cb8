/**
 * Small readers over libpg-query's parse tree (PostgreSQL's own node names): constants, column
 * references, the text span a node covers, and a fingerprint that compares two expressions whatever
 * their aliases or layout.
 */

// The tree is PostgreSQL's, as JSON: a node is `{NodeName: {...fields}}`.
export type Node = Record<string, unknown>;

export function kindOf(node: unknown): string | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  return keys.length === 1 ? keys[0] : undefined;
}

/** The fields of a `{Kind: fields}` node when it is of that kind. */
export function as(node: unknown, kind: string): Node | undefined {
  return kindOf(node) === kind ? ((node as Node)[kind] as Node) : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `String` nodes' values of a name list (`funcname`, `name`, `fields`). */
export function names(value: unknown): string[] {
  return list(value).map((n) => {
    const s = as(n, 'String');
    return s ? String(s['sval']) : as(n, 'A_Star') ? '*' : '?';
  });
}

/** A constant's value: number, string, boolean or null (`A_Const`, also under a type cast). */
export function constant(
  node: unknown,
): { value: string | number | boolean | null; type?: string } | undefined {
  const cast = as(node, 'TypeCast');
  if (cast) {
    const inner = constant(cast['arg']);
    if (!inner) return undefined;
    const type = names((cast['typeName'] as Node | undefined)?.['names']).pop();
    return { value: inner.value, ...(type === undefined ? {} : { type }) };
  }
  const c = as(node, 'A_Const');
  if (!c) return undefined;
  if (c['isnull']) return { value: null };
  const ival = c['ival'] as Node | undefined;
  if (ival) return { value: Number(ival['ival'] ?? 0) };
  const fval = c['fval'] as Node | undefined;
  if (fval) return { value: Number(fval['fval']) };
  const sval = c['sval'] as Node | undefined;
  if (sval) return { value: String(sval['sval'] ?? '') };
  const boolval = c['boolval'] as Node | undefined;
  if (boolval) return { value: Boolean(boolval['boolval']) };
  return undefined;
}

/** The smallest `location` under a node: where its text starts in the SQL. */
export function startOf(node: unknown): number {
  let min = Number.POSITIVE_INFINITY;
  const visit = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'location' && typeof child === 'number' && child >= 0) min = Math.min(min, child);
      else visit(child);
    }
  };
  visit(node);
  return min;
}

/**
 * The SQL text of one item of a list (a WHERE conjunct) from its start to the next item's start, with
 * a trailing connective and unbalanced closing parentheses cut.
 */
export function textBetween(sql: string, start: number, end: number): string {
  let text = sql.slice(start, end).trim();
  text = text.replace(/\s+(and|or)$/i, '').trim();
  // A conjunct ending the statement may carry the closing parentheses of what encloses it.
  let depth = 0;
  let cut = text.length;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') {
      depth--;
      if (depth < 0) {
        cut = i;
        break;
      }
    }
  }
  return text.slice(0, cut).trim();
}

/**
 * A canonical text of an expression: no locations, column references through `column` (which resolves
 * aliases), anything `replace` recognises (the warehouse's "now") in its place. Two expressions with
 * the same fingerprint compute the same thing.
 */
export function fingerprint(node: unknown, replace: (node: unknown) => string | undefined): string {
  const canon = (value: unknown): unknown => {
    const replaced = replace(value);
    if (replaced !== undefined) return { $: replaced };
    if (Array.isArray(value)) return value.map(canon);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) {
      if (key === 'location' || key === 'funcformat') continue;
      out[key] = canon(child);
    }
    return out;
  };
  return JSON.stringify(canon(node));
}
