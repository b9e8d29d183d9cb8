import { scanSql } from '@t2s/sql-guard';

export type ExtractedSql = { ok: true; sql: string } | { ok: false; reason: string };

const FENCE = /```[a-zA-Z]*[ \t]*\r?\n?([\s\S]*?)(?:```|$)/g;
const START = /(?:^|[\s(])((?:with|select)\b)/i;

/**
 * The SQL in a model's answer, as models really write it: bare, in a Markdown fence (```sql … ```),
 * after a sentence ("Here is the query:"), followed by an explanation, or as several statements. The
 * first statement that starts with SELECT or WITH is kept, without its semicolon; what follows it is
 * dropped (the guard would refuse a second statement anyway). Needs `loadParser()` from @t2s/sql-guard.
 */
export function extractSql(output: string): ExtractedSql {
  const fenced = [...output.matchAll(FENCE)].map((m) => m[1] ?? '').find((block) => START.test(block));
  const text = fenced ?? output;
  const start = START.exec(text);
  if (!start) return { ok: false, reason: 'the answer holds no SELECT or WITH statement' };
  let sql = text.slice(start.index + start[0].length - (start[1] as string).length);
  // A closing fence with no opening one (the answer began inside the block).
  const fence = sql.indexOf('```');
  if (fence >= 0) sql = sql.slice(0, fence);
  const scanned = scanSql(sql);
  if (scanned.ok) {
    const end = scanned.tokens.find((t) => t.text === ';');
    if (end) sql = sql.slice(0, end.start);
  }
  sql = sql.trim();
  return sql ? { ok: true, sql } : { ok: false, reason: 'the answer holds an empty statement' };
}
