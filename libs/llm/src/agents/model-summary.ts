import type { SemanticModel } from '@t2s/semantic';

/**
 * What the bank has, as the criteria prompt shows it: every business attribute of the semantic model
 * with its type, unit, labels and the columns that refine it. Names, words and codes only: no client's
 * data, so no PII can enter the prompt this way.
 */
export function attributesSummary(model: SemanticModel): string {
  const lines = model.allAttributes().map((a) => {
    const kind = a.type === 'boolean' ? 'yes/no' : `${a.type}${a.unit ? `, ${a.unit}` : ''}`;
    const window =
      'window' in a.measure && a.measure.window
        ? `, default window ${a.measure.window.last.n} ${a.measure.window.last.unit}`
        : '';
    const refine = a.refinements.length > 0 ? `; refine by ${a.refinements.join(', ')}` : '';
    return `- ${a.name} (${kind}${window}): ${a.label.en} / ${a.label.ru}${refine}`;
  });
  return lines.join('\n');
}
