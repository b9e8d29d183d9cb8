import type { Terms } from '../semantic-model.schema';
import { commentCodes } from './comment-codes';
import { codeWords, labelTerms, languageOf, mergeTerms } from './comment-words';
import { codeOrder } from './orders';
import { isDateType } from './date-roles';
import { isBooleanType, type WarehouseView } from './warehouse-view';

export interface CodeReading {
  /** `table.column` -> code -> the words that name it. */
  labels: Record<string, Record<string, Terms>>;
  /** `table.column` -> codes from lowest to highest, where the comment orders them. */
  orders: Record<string, string[]>;
}

/**
 * Labels of the coded values every targetable column documents in its comment, and their order where
 * the comment gives one. A code with a meaning is named by the meaning ("M" by "мужской"); a code
 * listed alone by its own words ("blue-collar", "blue collar"). Yes/no pairs are attributes, not labels.
 */
export function bootstrapCodes(view: WarehouseView): CodeReading {
  const reading: CodeReading = { labels: {}, orders: {} };
  for (const table of view.tables) {
    for (const column of table.columns) {
      if (!view.isTargetable(column) || isBooleanType(column.type) || isDateType(column.type)) continue;
      const codes = commentCodes(column.comment);
      // Examples ("например 5541 — АЗС") show what a code looks like; they are no list to link by.
      if (!codes || codes.kind === 'binary' || !codes.complete) continue;
      const ref = `${table.name}.${column.name}`;
      const labels: Record<string, Terms> = {};
      for (const code of codes.codes) {
        const own = codeWords(code.value);
        const words: Terms = { ru: [], en: [] };
        if (codes.kind === 'listed') for (const w of own) words[languageOf(w)].push(w);
        // A meaning noted after a quoted list (`note: "divorced" means divorced or widowed`) names the
        // code by each of its alternatives; a documented label ("рабочий или специалист") stays whole.
        const terms = code.label ? mergeTerms(labelTerms(code.label, codes.kind === 'listed'), words) : words;
        if (terms.ru.length + terms.en.length > 0) labels[code.value] = terms;
      }
      if (Object.keys(labels).length > 0) reading.labels[ref] = labels;
      const order = codeOrder(column.comment, codes);
      if (order) reading.orders[ref] = order;
    }
  }
  return reading;
}
