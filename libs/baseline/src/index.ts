// The public API of @t2s/baseline: the offline, deterministic strategy (no LLM): criteria text parsed
// over the semantic model, criteria from offers by a rule table, SQL from the criteria compiler.

export { CriteriaParser, splitFragments, type ParseResult, type ParsedCriterion } from './criteria-parser';
export { buildLexicon, labelsFromComment, type LexEntry } from './lexicon';
export { tokenize, normalize, stem, phraseStems, type Token } from './text/tokens';
export { findComparisons, findWindows, findPerMonth, findQuantities } from './text/quantities';
export { BaselineStrategy, createBaselineStrategy, type BaselineOptions } from './baseline.strategy';
export { offerRulesSchema, findOfferRules, matchRules, offerText, type OfferRules } from './offer-rules';
export { readReferences } from './reference-reader';
