import type { CriterionPrecedent, CriterionProvenance } from '@t2s/contracts';

export type ProvenanceLanguage = 'ru' | 'en';

/** Campaigns named in the clause; the rest are counted ("и ещё 2"). */
const NAMED = 3;

/**
 * The clause appended to a criterion adopted from past campaigns, so a marketer reads where it comes
 * from: "как в кампании CM-2026-0912, утверждена 2026-09-14"; several campaigns nearest first, at most
 * three by name; then how the threshold or the values were taken from theirs.
 */
export function provenanceText(provenance: CriterionProvenance, language: ProvenanceLanguage): string {
  const { precedents, adapted } = provenance;
  const words = WORDS[language];
  const campaigns =
    precedents.length === 1 ? words.one(precedents[0] as CriterionPrecedent) : several(precedents, language);
  const adaptation = adapted === 'as_is' ? '' : words[adapted](precedents.length);
  return adaptation ? `${campaigns}; ${adaptation}` : campaigns;
}

function several(precedents: readonly CriterionPrecedent[], language: ProvenanceLanguage): string {
  const words = WORDS[language];
  const named = precedents.slice(0, NAMED).map((p) => {
    const day = approvedDay(p);
    return day === undefined ? p.campaign : `${p.campaign} (${words.approved} ${day})`;
  });
  const more = precedents.length - named.length;
  const list =
    more > 0
      ? `${named.join(', ')} ${words.andMore(more)}`
      : `${named.slice(0, -1).join(', ')} ${words.and} ${named[named.length - 1] ?? ''}`;
  return `${words.campaigns} ${list}`;
}

/**
 * The day a precedent was approved, as an ISO day: a datetime keeps the day it was written with (its
 * own offset's), since the bank's record says that day. Undefined when unknown or not ISO.
 */
function approvedDay(precedent: CriterionPrecedent): string | undefined {
  return /^\d{4}-\d{2}-\d{2}/.exec(precedent.approvedAt ?? '')?.[0];
}

/** Russian plural form index for a count (1 кампания, 2 кампании, 5 кампаний). */
function ruPlural(n: number): 0 | 1 | 2 {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return 0;
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return 1;
  return 2;
}

const WORDS = {
  ru: {
    one: (p: CriterionPrecedent) => {
      const day = approvedDay(p);
      return `как в кампании ${p.campaign}${day === undefined ? '' : `, утверждена ${day}`}`;
    },
    campaigns: 'как в кампаниях',
    approved: 'утверждена',
    and: 'и',
    andMore: (n: number) => `и ещё ${n}`,
    // Dative after "по" (по 1 кампании, по 3 кампаниям), genitive after "из" (из 1 кампании, из 5 кампаний).
    median: (n: number) => `порог — медиана по ${n} ${ruPlural(n) === 0 ? 'кампании' : 'кампаниям'}`,
    union: (n: number) => `значения — из ${n} ${ruPlural(n) === 0 ? 'кампании' : 'кампаний'}`,
  },
  en: {
    one: (p: CriterionPrecedent) => {
      const day = approvedDay(p);
      return `as in campaign ${p.campaign}${day === undefined ? '' : `, approved ${day}`}`;
    },
    campaigns: 'as in campaigns',
    approved: 'approved',
    and: 'and',
    andMore: (n: number) => `and ${n} more`,
    median: (n: number) => `threshold: the median of ${n} ${n === 1 ? 'campaign' : 'campaigns'}`,
    union: (n: number) => `values from ${n} ${n === 1 ? 'campaign' : 'campaigns'}`,
  },
} as const;
