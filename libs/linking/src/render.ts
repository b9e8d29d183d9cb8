import type { LinkSchema } from './link-schema';

const EXAMPLES = 3;

/**
 * The linked part of a schema as a prompt shows it: one line per column with its type, key, comment
 * and a few example values (never a PII column's). `columns` absent: the whole schema, for comparison.
 */
export function renderLinkedSchema(schema: LinkSchema, columns?: readonly string[]): string {
  const keep = columns ? new Set(columns) : null;
  const blocks: string[] = [];
  for (const table of schema.tables) {
    const shown = table.columns.filter((c) => !keep || keep.has(`${table.name}.${c.name}`));
    if (shown.length === 0) continue;
    const lines = [`${table.name}${table.description ? ` -- ${oneLine(table.description)}` : ''}`];
    for (const c of shown) {
      const parts = [`  ${c.name} ${c.type}`];
      if (table.primaryKey.includes(c.name)) parts.push('PK');
      const fk = table.foreignKeys.find((k) => k.columns.includes(c.name));
      if (fk) parts.push(`-> ${fk.refTable}.${fk.refColumns[fk.columns.indexOf(c.name)] ?? ''}`);
      if (c.description) parts.push(`-- ${oneLine(c.description)}`);
      if (c.pii) parts.push('[personal data: conditions only, never select it]');
      if (!c.pii && c.values && c.values.length > 0) {
        parts.push(
          `e.g. ${c.values
            .slice(0, EXAMPLES)
            .map((v) => `'${v.replace(/'/g, "''")}'`)
            .join(', ')}`,
        );
      }
      lines.push(parts.join(' '));
    }
    blocks.push(lines.join('\n'));
  }
  return `${blocks.join('\n\n')}\n`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
