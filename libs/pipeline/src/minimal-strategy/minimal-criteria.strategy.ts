import type { Catalog } from '@t2s/catalog';
import type { Criterion, Offer } from '@t2s/contracts';
import type { CriteriaInput, CriteriaResult, CriteriaStrategy } from '../strategy';
import { recogniseCriteriaText } from './criteria-text.recognizer';
import type { MinimalRules, ParamValue, RuleCriterion } from './minimal-rules.schema';
import { renderTemplate, type ParamMap } from './template-render';

/** What the minimal strategy keeps in `Criterion.spec`, so later stages can read it back. */
export interface MinimalCriterionSpec {
  template: string;
  params: ParamMap;
  tables: string[];
}

function offerText(offer: Offer): string {
  return [offer.product.type, offer.product.name, offer.title, offer.description, ...(offer.conditions ?? [])]
    .filter((part): part is string => typeof part === 'string')
    .join('\n')
    .toLowerCase();
}

function resolveParams(params: Record<string, ParamValue>, offer: Offer): ParamMap {
  const resolved: ParamMap = {};
  for (const [name, value] of Object.entries(params))
    resolved[name] = value === '$channel' ? offer.channel : value;
  return resolved;
}

/**
 * Deterministic criteria from the rule table: the offer's keywords pick criterion templates (or the
 * marketer's text is parsed phrase by phrase), then the standard exclusions every campaign needs
 * (consent for the channel, stop list, active client) are added. Each template is rendered against
 * the catalog; one whose tables are missing is skipped and reported in `unparsed`.
 */
export class MinimalCriteriaStrategy implements CriteriaStrategy {
  constructor(private readonly rules: MinimalRules) {}

  async generate(input: CriteriaInput): Promise<CriteriaResult> {
    const { offer, catalog } = input;
    const candidates: { ref: RuleCriterion; params: ParamMap; text?: string }[] = [];
    const unparsed: string[] = [];

    if (input.criteriaText !== undefined && input.criteriaText.trim() !== '') {
      const parsed = recogniseCriteriaText(this.rules, input.criteriaText);
      unparsed.push(...parsed.unparsed);
      for (const item of parsed.recognised) {
        candidates.push({ ref: item.ref, params: item.params, text: item.fragment });
      }
    } else {
      const haystack = offerText(offer);
      const matched = this.rules.offerRules.filter((rule) =>
        rule.keywords.some((keyword) => haystack.includes(keyword.toLowerCase())),
      );
      if (matched.length === 0) {
        unparsed.push(
          `offer product "${offer.product.type}": no rule matches it, only standard criteria apply`,
        );
      }
      // The first rule that names a template wins (more specific rules come first in the table), so a
      // "youth credit card" gets the youth age band, not the credit card one on top of it.
      const seen = new Set<string>();
      for (const ref of matched.flatMap((rule) => rule.criteria)) {
        if (seen.has(ref.template)) continue;
        seen.add(ref.template);
        candidates.push({ ref, params: resolveParams(ref.params, offer) });
      }
    }
    for (const ref of this.rules.standard) candidates.push({ ref, params: resolveParams(ref.params, offer) });

    const criteria: Criterion[] = [];
    for (const candidate of candidates) {
      const built = this.build(candidate.ref, candidate.params, catalog, criteria.length + 1, candidate.text);
      if (built.ok) criteria.push(built.criterion);
      else unparsed.push(`${candidate.text ?? candidate.ref.template}: ${built.reason}`);
    }
    return { criteria, unparsed, tokens: 0 };
  }

  private build(
    ref: RuleCriterion,
    params: ParamMap,
    catalog: Catalog,
    index: number,
    writtenText?: string,
  ): { ok: true; criterion: Criterion } | { ok: false; reason: string } {
    const rendered = renderTemplate(this.rules, ref.template, params, catalog);
    if (!rendered.ok) return rendered;
    const spec: MinimalCriterionSpec = { template: ref.template, params, tables: rendered.tables };
    return {
      ok: true,
      criterion: {
        id: `c${index}`,
        text: writtenText ?? rendered.text,
        kind: ref.kind,
        sql: rendered.sql,
        source: writtenText === undefined ? 'rule' : 'person',
        spec,
      },
    };
  }
}
