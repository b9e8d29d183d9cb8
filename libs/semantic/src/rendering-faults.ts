// What a criterion's rendering must never show a marketer: a `table.column` or another name of the
// warehouse, a placeholder left unfilled, or a code the semantic model has a label for. A check over the
// text alone, so any rendering (the baseline's, an LLM's) can be held to it.
import type { SemanticModel } from './semantic-model';

export interface RenderingFault {
  kind: 'column' | 'name' | 'placeholder' | 'code';
  /** The offending part of the text. */
  text: string;
}

const COLUMN = /(?<![\p{L}\d_.])([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)(?![\p{L}\d_])/gu;
/** A snake_case identifier: no marketer's word has an underscore. */
const IDENTIFIER = /(?<![\p{L}\d_])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\p{L}\d_])/gu;
const PLACEHOLDERS = [
  /\$[A-Za-z_]\w*/gu,
  /\{\{?\s*[A-Za-z_]\w*\s*\}?\}/gu,
  /(?<![\p{L}\d])(?:undefined|null|NaN)(?![\p{L}\d])/gu,
  /\[object Object\]/gu,
];
/** A code by its shape: capitals and digits joined by "_" or "-" ("CC_CASHBACK", "CC-YOUNG"). */
const JOINED_CODE = /(?<![\p{L}\d_-])[A-Z][A-Z0-9]*(?:[_-][A-Z0-9]+)+(?![\p{L}\d_-])/gu;

/** Every fault of a rendering, in order of kind; none for a rendering a marketer can read as it is. */
export function renderingFaults(text: string, model: SemanticModel): RenderingFault[] {
  const faults: RenderingFault[] = [];
  const add = (kind: RenderingFault['kind'], found: string) => {
    if (!faults.some((f) => f.kind === kind && f.text === found)) faults.push({ kind, text: found });
  };
  for (const match of text.matchAll(COLUMN)) {
    if (model.graph.hasColumn(match[1] as string, match[2] as string)) add('column', match[0]);
  }
  const names = warehouseNames(model);
  for (const match of text.matchAll(IDENTIFIER)) if (names.has(match[0])) add('name', match[0]);
  for (const pattern of PLACEHOLDERS)
    for (const match of text.matchAll(pattern)) add('placeholder', match[0]);
  for (const match of text.matchAll(JOINED_CODE)) add('code', match[0]);
  for (const [column, codes] of Object.entries(model.file.labels)) {
    for (const [code, terms] of Object.entries(codes)) {
      const labels = [...terms.ru, ...terms.en];
      // A short code whose label is itself is an abbreviation ("SMS", "ИИС"); a lower-case code is a word
      // ("gold"). A longer code's label in lower case ("overdue") is a label: the code in capitals is not.
      const upper = code.toUpperCase();
      if (
        labels.length === 0 ||
        labels.some((l) => l === code || (code.length <= 4 && l.toUpperCase() === upper)) ||
        code !== upper
      )
        continue;
      if (!/\p{Lu}/u.test(code)) continue;
      const escaped = code.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      // A one-letter code ("M", "A") is a fault only where it is shown as one: "(M)", ": M", "= M".
      const pattern =
        code.length === 1
          ? new RegExp(`(?:[(=:]\\s*)${escaped}(?![\\p{L}\\d])`, 'u')
          : new RegExp(`(?<![\\p{L}\\d_])${escaped}(?![\\p{L}\\d_])`, 'u');
      // Each code once, by the first column that labels it.
      if (pattern.test(text) && !faults.some((f) => f.text.startsWith(`${code} (`)))
        add('code', `${code} (${column})`);
    }
  }
  return faults;
}

/** Names of the warehouse's tables and columns and of the model's attributes. */
function warehouseNames(model: SemanticModel): Set<string> {
  const names = new Set<string>(model.allAttributes().map((a) => a.name));
  for (const table of model.catalog.tables) {
    names.add(table.name);
    for (const column of table.columns) names.add(column.name);
  }
  return names;
}
