import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Offer } from '@t2s/contracts';
import { exprSchema, type Expr } from '@t2s/semantic';
import { screenText } from './text/hostile-text';
import { normalize, phraseStems } from './text/tokens';

const ruleCriterionSchema = z.strictObject({
  kind: z.enum(['include', 'exclude']),
  /**
   * Representation; in values, `$channel` is the offer's channel and `$product_code` its product code (a
   * criterion naming `$product_code` applies only to offers that give one).
   */
  expr: exprSchema,
});

const ruleSchema = z.strictObject({
  /** Rule name, shown as the criterion's origin. */
  name: z.string().min(1),
  /** Product types (offer.product.type) this rule applies to. */
  products: z.array(z.string().min(1)).default([]),
  /** Words (any language; matched by stem) in the offer's title, description, conditions or product name. */
  words: z.array(z.string().min(1)).default([]),
  /** Product codes (offer.product.code) this rule applies to. */
  codes: z.array(z.string().min(1)).default([]),
  /** Never for offers of these product codes (a fund offer excludes fund holders, not every investor). */
  exceptCodes: z.array(z.string().min(1)).default([]),
  /**
   * Further conditions, each a list of words of which the offer must have one: a credit card offer that
   * also says "looked at ... in the app" and "recently" targets recent viewers of the card's page.
   */
  alsoWords: z.array(z.array(z.string().min(1)).min(1)).default([]),
  /**
   * A marketer's reading of who is likely to take the product (a deposit for past campaigns' subscribers,
   * retirees, students), not policy: the LLM strategy reads its own audience from the offer, so
   * `policyRules` leaves it out even when the product type alone matches it.
   */
  audience: z.boolean().default(false),
  criteria: z.array(ruleCriterionSchema).min(1),
});

/**
 * Criteria from an offer (R1), as data: rules by product type and by offer words, the attributes a rule
 * may take from the offer's own text ("for clients aged 25 to 55"), and the exclusions a marketer always
 * applies. Kept per warehouse next to the semantic model, since rules name its attributes.
 */
export const offerRulesSchema = z.strictObject({
  version: z.literal(1),
  warehouse: z.string().min(1),
  rules: z.array(ruleSchema),
  /**
   * Attributes, or value columns (`ref_region.region_name`), read from the offer's whole text with the
   * criteria parser (only these: offers are full of numbers). The offer's own words on a column replace
   * a word rule's values there.
   */
  fromOfferText: z.array(z.string().min(1)).default([]),
  standard: z
    .array(
      ruleCriterionSchema.extend({
        name: z.string().min(1),
        /** Only for offers on these channels (push notifications need them enabled on the device). */
        channels: z.array(z.string().min(1)).optional(),
        /** Only for offers of these product types (credit products exclude bad borrowers). */
        products: z.array(z.string().min(1)).optional(),
      }),
    )
    .default([]),
  /**
   * Where an offer's text says who it is for ("для клиентов, которые...", "for homeowners who..."):
   * those clauses are read with the criteria parser, every attribute allowed.
   */
  audienceClauses: z.array(z.string().min(1)).default([]),
  /**
   * Where an offer asks clients to move to another variant of what they hold ("switch to the Premium
   * tariff", "перейдите на золотую карту"): the captured phrase is read with the criteria parser. The
   * audience is the product's holders less those already on that variant, and the phrase's words name
   * the variant, not the audience (no word rule reads "Premium" there as the premium segment).
   */
  switchClauses: z.array(z.string().min(1)).default([]),
});

export type OfferRules = z.infer<typeof offerRulesSchema>;
export type RuleCriterion = z.infer<typeof ruleCriterionSchema>;

export function findOfferRules(warehouse: string, dir = 'config/rules'): OfferRules | undefined {
  const file = join(dir, `${warehouse}.offer-rules.json`);
  if (!existsSync(file)) return undefined;
  const parsed = offerRulesSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

/** The offer's words (title, description, conditions, product name): what rules match and retrieval searches. */
export function offerText(offer: Offer): string {
  return offerParts(offer, true).join('\n');
}

/**
 * The parts of the offer the rules read, as written: title, description, conditions, and the product
 * name when `withName`. Not the product type: `premium_package` would read as the word "premium" (types
 * are matched as such).
 */
function offerParts(offer: Offer, withName: boolean): string[] {
  return [
    offer.title,
    offer.description,
    ...(offer.conditions ?? []),
    withName ? offer.product.name : undefined,
  ].filter((part): part is string => typeof part === 'string');
}

/** The parts with hostile text blanked (SQL, escapes, invisible characters, quote debris): what rules read. */
function readableParts(offer: Offer, withName: boolean): string[] {
  return offerParts(offer, withName).map((part) => screenText(part).masked);
}

/** `offerText` with hostile text blanked: what rules read. */
export function readableOfferText(offer: Offer): string {
  return readableParts(offer, true).join('\n');
}

/** The hostile spans of the offer's text, as shown to the marketer: reported as not applied. */
export function hostileOfferText(offer: Offer): string[] {
  return offerParts(offer, true).flatMap((part) => screenText(part).spans.map((s) => s.shown));
}

export interface MatchedRule {
  name: string;
  criteria: RuleCriterion[];
}

/**
 * Rules whose product type, product code or words the offer has (and all their further words), in file
 * order. Words all of whose stems are in `ignored` (a phrase naming the offered variant) do not count.
 */
export function matchRules(rules: OfferRules, offer: Offer, ignored: string[] = []): MatchedRule[] {
  const offerStems = phraseStems(readableOfferText(offer));
  const stems = new Set(offerStems);
  const text = ` ${offerStems.join(' ')} `;
  const has = (word: string) => {
    const wordStems = phraseStems(word);
    if (wordStems.every((s) => ignored.includes(s))) return false;
    return wordStems.length === 1
      ? stems.has(wordStems[0] as string)
      : text.includes(` ${wordStems.join(' ')} `);
  };
  const code = offer.product.code;
  return rules.rules.filter((rule) => {
    if (code !== undefined && rule.exceptCodes.includes(code)) return false;
    const matched =
      rule.products.includes(offer.product.type) ||
      (code !== undefined && rule.codes.includes(code)) ||
      rule.words.some(has);
    return matched && rule.alsoWords.every((group) => group.some(has));
  });
}

/** `$channel` and `$product_code` in values replaced by the offer's; null when the offer lacks one. */
export function withOffer(expr: Expr, offer: Offer): Expr | null {
  const text = JSON.stringify(expr);
  if (text.includes('"$product_code"') && !offer.product.code) return null;
  return JSON.parse(
    text
      .replaceAll('"$channel"', JSON.stringify(offer.channel))
      .replaceAll('"$product_code"', JSON.stringify(offer.product.code ?? '')),
  ) as Expr;
}

/** The parts of the offer's text that say who it is for, by the rules' clause patterns. */
export function audienceClauses(rules: OfferRules, offer: Offer): string[] {
  return clauses(rules.audienceClauses, offer);
}

/** The phrases naming the variant an offer asks its clients to move to. */
export function switchClauses(rules: OfferRules, offer: Offer): string[] {
  return clauses(rules.switchClauses, offer);
}

function clauses(patterns: string[], offer: Offer): string[] {
  const text = normalize(readableParts(offer, false).filter(Boolean).join('. '));
  const clauses: string[] = [];
  for (const pattern of patterns) {
    for (const match of text.matchAll(new RegExp(pattern, 'gi'))) {
      const clause = (match[1] ?? match[0]).trim();
      if (clause && !clauses.includes(clause)) clauses.push(clause);
    }
  }
  return clauses;
}

/**
 * The rules that are policy for an offer whatever its words say: those matched by product type or code
 * alone (the offered product's holders, its age limits). Word rules are a reading of the offer's text,
 * and audience rules a reading of who wants the product.
 */
export function policyRules(rules: OfferRules, offer: Offer): MatchedRule[] {
  const code = offer.product.code;
  return rules.rules.filter(
    (rule) =>
      !rule.audience &&
      rule.words.length === 0 &&
      rule.alsoWords.length === 0 &&
      !(code !== undefined && rule.exceptCodes.includes(code)) &&
      (rule.products.includes(offer.product.type) || (code !== undefined && rule.codes.includes(code))),
  );
}

/** The exclusions a marketer always applies, for the offer's channel and product type. */
export function standardCriteria(
  rules: OfferRules,
  offer: Offer,
): { kind: 'include' | 'exclude'; expr: Expr | null }[] {
  return rules.standard
    .filter(
      (s) =>
        (!s.channels || s.channels.includes(offer.channel)) &&
        (!s.products || s.products.includes(offer.product.type)),
    )
    .map((s) => ({ kind: s.kind, expr: withOffer(s.expr, offer) }));
}
