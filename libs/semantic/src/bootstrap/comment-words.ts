import type { Terms } from '../semantic-model.schema';

/** Which language a phrase is written in: Cyrillic letters make it Russian. */
export function languageOf(text: string): 'ru' | 'en' {
  return /[а-яё]/iu.test(text) ? 'ru' : 'en';
}

/**
 * The phrase a comment names its column or table by: without the "[Area] " prefix, a documentation
 * code ("A11: average salary"), and everything from the first bracket, colon, semicolon, question mark,
 * sentence end or comma on ("Average yearly balance, in euros (numeric)" -> "Average yearly balance").
 */
export function commentHead(comment: string | null | undefined): string {
  const text = (comment ?? '')
    .replace(/^\s*\[[^\]]*\]\s*/u, '')
    .replace(/^[A-Z]\d+:\s*/u, '')
    .replace(/^(relation|table|таблица)\s+/iu, '')
    .trim();
  // A dot ends the head unless it ends an abbreviation ("no. of inhabitants", "тыс. руб.").
  const head = text.split(/\s*[(:;?,]|(?<!(?:^|\s)(?:no|тыс|млн|кв|г))\.(?=\s|$)/iu)[0] ?? '';
  // A range is not a name: "Уровень риска фонда от 1 до 5" -> "Уровень риска фонда".
  return head
    .replace(/\s+(от|from)\s+-?\d.*$/u, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** A label with its first letter in upper case, as the renderer shows it. */
export function capitalised(text: string): string {
  return text.length === 0 ? text : `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`;
}

// Words that end the part of a phrase that names the thing: "количество детей | до 18 лет",
// "number of contacts | performed during this campaign".
const CUT_WORDS = new Set([
  'до',
  'от',
  'за',
  'по',
  'после',
  'при',
  'для',
  'которые',
  'который',
  'that',
  'which',
  'who',
  'performed',
  'during',
  'after',
  'before',
  'from',
  'for',
  'by',
  'when',
  'where',
]);

/**
 * The words a comment's head gives for a column or table: the head itself (lower case) and, for a long
 * head, its leading part up to a word that starts a qualification, when that part still names something.
 */
export function headTerms(head: string): Terms {
  const terms: Terms = { ru: [], en: [] };
  const phrase = head.toLowerCase().trim();
  if (phrase.length < 3) return terms;
  const out = terms[languageOf(phrase)];
  out.push(phrase);
  const words = phrase.split(/\s+/u);
  const cut = words.findIndex((w, i) => i >= 1 && CUT_WORDS.has(w));
  if (cut >= 2) {
    const short = words.slice(0, cut).join(' ');
    if (short !== phrase) out.push(short);
  }
  // "average yearly balance": people drop a middle qualifier ("average balance"); three or four English
  // words with no qualification cut, each inner word left out in turn. (A Russian head puts its noun
  // first and its qualifiers after: "количество активных счетов" without "активных" names other rows.)
  const english = languageOf(phrase) === 'en' && !LEAD_WORDS.test(phrase);
  if (english && cut < 0 && words.length >= 3 && words.length <= 4 && !words.includes('of')) {
    for (let i = 1; i < words.length - 1; i++) {
      const shorter = [...words.slice(0, i), ...words.slice(i + 1)].join(' ');
      if (!out.includes(shorter)) out.push(shorter);
    }
  }
  // "has housing loan?", "is active": the question's auxiliary names nothing; the rest is the term.
  const lead = LEAD_WORDS.exec(phrase);
  if (lead) {
    const rest = phrase
      .slice(lead[0].length)
      .replace(/[?.]+$/u, '')
      .trim();
    if (rest.split(/\s+/u).length >= 1 && rest.length >= 3 && !out.includes(rest)) out.push(rest);
  }
  return terms;
}

/** Auxiliaries a yes/no comment opens with ("has credit in default?", "is the client a resident"). */
const LEAD_WORDS =
  /^(?:has|have|is|are|was|does|did|есть ли|имеет ли|является ли)\s+(?:the\s+client\s+|a\s+|an\s+)?/u;

/** A code's words: "admin." -> "admin", "blue-collar" -> "blue-collar" and "blue collar". */
export function codeWords(value: string): string[] {
  const plain = value.replace(/[.]+$/u, '').trim().toLowerCase();
  if (!/^[\p{L}][\p{L}\p{N} _-]*$/u.test(plain)) return [];
  const spaced = plain.replace(/[_-]+/gu, ' ');
  return [...new Set([plain, spaced])];
}

/** Terms of a code's meaning in its own language ("мужской" -> ru, "monthly issuance" -> en). */
export function labelTerms(label: string, either = false): Terms {
  const terms: Terms = { ru: [], en: [] };
  const phrase = label.trim();
  if (phrase.length === 0) return terms;
  const out = terms[languageOf(phrase)];
  out.push(phrase);
  // `"divorced" means divorced or widowed`: either word names the code.
  const parts = either ? phrase.split(/\s+(?:or|или)\s+/u).map((p) => p.trim()) : [];
  if (parts.length > 1) for (const part of parts) if (part.length >= 3 && !out.includes(part)) out.push(part);
  return terms;
}

/** Both lists, each word once, in order. */
export function mergeTerms(...all: Terms[]): Terms {
  return {
    ru: [...new Set(all.flatMap((t) => t.ru))],
    en: [...new Set(all.flatMap((t) => t.en))],
  };
}
