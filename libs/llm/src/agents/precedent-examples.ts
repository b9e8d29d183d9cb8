import type { CriterionProvenance } from '@t2s/contracts';
import { citationOf, isMapped, type Precedent } from '@t2s/precedents';

/** Below this many characters a shortened SQL says nothing: the example is dropped instead. */
const MIN_SQL_CHARS = 200;
const CUT = ' …(cut)';

/**
 * Past campaigns as the criteria prompt shows them, nearest first: each campaign's name and approval
 * day, its offer, and the criteria its SQL was read into (the representation as compact JSON, the SQL
 * itself where no form says it). `maxSqlChars` shortens each SQL to fit a budget.
 */
export function renderPrecedents(precedents: readonly Precedent[], maxSqlChars = Infinity): string {
  return precedents.map((p) => renderPrecedent(p, maxSqlChars)).join('\n\n');
}

function renderPrecedent(precedent: Precedent, maxSqlChars: number): string {
  const { offer } = precedent;
  const approved = precedent.approvedAt ? [`approved: ${precedent.approvedAt.slice(0, 10)}`] : [];
  const product = {
    type: offer.product.type,
    ...(offer.product.code ? { code: offer.product.code } : {}),
    ...(offer.product.name ? { name: offer.product.name } : {}),
  };
  const shown = {
    product,
    title: offer.title,
    channel: offer.channel,
    ...(offer.conditions?.length ? { conditions: offer.conditions } : {}),
  };
  const criteria = precedent.criteria.map((c) =>
    isMapped(c)
      ? `- ${c.kind}: ${JSON.stringify(c.expr)}`
      : `- ${c.kind}, as SQL: ${shorten(oneLine(c.sql), maxSqlChars)}`,
  );
  return [
    `campaign: ${precedent.campaign}`,
    ...approved,
    `offer: ${JSON.stringify(shown)}`,
    'criteria:',
    ...(criteria.length ? criteria : ['- (none read from its SQL)']),
  ].join('\n');
}

function oneLine(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}

function shorten(sql: string, maxChars: number): string {
  return sql.length <= maxChars ? sql : `${sql.slice(0, maxChars)}${CUT}`;
}

export interface FittedPrecedents {
  /** The campaigns shown, nearest first; none when not even the nearest fits. */
  shown: Precedent[];
  /** Their rendering (empty when none). */
  text: string;
}

/**
 * The nearest campaigns that fit: `measure` gives the whole prompt's tokens with a rendering in it,
 * and the farthest campaigns are dropped, then the last one's SQL halved, until the prompt is within
 * `maxTokens`. What still does not fit is left out altogether.
 */
export async function fitPrecedents(
  nearest: readonly Precedent[],
  maxTokens: number,
  measure: (text: string) => Promise<number>,
): Promise<FittedPrecedents> {
  for (let n = nearest.length; n > 0; n--) {
    const text = renderPrecedents(nearest.slice(0, n));
    if ((await measure(text)) <= maxTokens) return { shown: nearest.slice(0, n), text };
  }
  const first = nearest.slice(0, 1);
  const longest = Math.max(
    0,
    ...first.flatMap((p) => p.criteria.map((c) => (isMapped(c) ? 0 : oneLine(c.sql).length))),
  );
  for (let chars = Math.floor(longest / 2); chars >= MIN_SQL_CHARS; chars = Math.floor(chars / 2)) {
    const text = renderPrecedents(first, chars);
    if ((await measure(text)) <= maxTokens) return { shown: first, text };
  }
  return { shown: [], text: '' };
}

/**
 * The provenance of a criterion the model says it took from `campaign`, when that is one of the
 * campaigns shown; undefined for a name it was not shown (or none).
 */
export function provenanceOf(
  campaign: string | null | undefined,
  shown: readonly Precedent[],
): CriterionProvenance | undefined {
  const name = campaign?.trim();
  const precedent = name ? shown.find((p) => p.campaign === name) : undefined;
  if (!precedent) return undefined;
  return {
    precedents: [citationOf(precedent)],
    adapted: 'as_is',
  };
}
