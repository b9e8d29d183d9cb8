import type { MinimalRules, ParamValue, RuleCriterion } from './minimal-rules.schema';
import type { ParamMap } from './template-render';

export interface RecognisedFragment {
  fragment: string;
  ref: RuleCriterion;
  params: ParamMap;
}

// Fragments are split on line breaks, semicolons, commas that are not inside a number ("50,5") and
// full stops that end a sentence (not "руб. в месяц"), so "возраст от 20 до 25 лет; траты более
// 50 000" gives two criteria.
const FRAGMENT_SEPARATOR = /[\n;]+|\.\s+(?=[A-ZА-ЯЁ])|,(?!\d)/u;
const AMOUNT = /^(\d[\d\s]*)(k|к|тыс)?$/iu;

/** "50 000" -> 50000, "50k" / "50 тыс" -> 50000; other strings stay as they are. */
function coerce(value: string): ParamValue {
  const match = AMOUNT.exec(value.trim());
  if (!match?.[1]) return value;
  const base = Number(match[1].replace(/\s/g, ''));
  return match[2] ? base * 1000 : base;
}

function substituteGroups(params: Record<string, ParamValue>, groups: RegExpExecArray): ParamMap {
  const result: ParamMap = {};
  for (const [name, value] of Object.entries(params)) {
    result[name] =
      typeof value === 'string' && value.includes('$')
        ? coerce(value.replace(/\$(\d)/g, (_m, index: string) => groups[Number(index)] ?? ''))
        : value;
  }
  return result;
}

export function splitFragments(text: string): string[] {
  return text
    .split(FRAGMENT_SEPARATOR)
    .map((fragment) => fragment.trim())
    .filter((fragment) => fragment.length > 0);
}

/**
 * A deliberately tiny recogniser for criteria a marketer wrote: each fragment either matches one of
 * the rule table's phrases or is reported as unparsed, never silently dropped.
 */
export function recogniseCriteriaText(
  rules: MinimalRules,
  text: string,
): { recognised: RecognisedFragment[]; unparsed: string[] } {
  const recognised: RecognisedFragment[] = [];
  const unparsed: string[] = [];
  for (const fragment of splitFragments(text)) {
    let matched = false;
    for (const phrase of rules.phrases) {
      const groups = new RegExp(phrase.pattern, 'iu').exec(fragment);
      if (!groups) continue;
      recognised.push({ fragment, ref: phrase, params: substituteGroups(phrase.params, groups) });
      matched = true;
      break;
    }
    if (!matched) unparsed.push(fragment);
  }
  return { recognised, unparsed };
}
