// The public API of @t2s/lexicon: linking the words of a criteria text to the values columns hold,
// across case, inflection, script and language, and the text tools it rests on.
export {
  DEFAULT_VALUE_THRESHOLD,
  ValueMatcher,
  type MatchVia,
  type ValueEntry,
  type ValueLabels,
  type ValueMatch,
  type ValueMatcherOptions,
  type ValueSpan,
} from './values/value-matcher';
export { Lexicon } from './lexicon/lexicon';
export { wordSenses } from './values/word-forms';
export { lexiconKey, type LexiconLanguage } from './lexicon/lexicon-key';
export { normalise, normalisedKey, tokenize, type Token } from './text/normalise';
export { stemCs, stemEn, stemKeys, stemRu } from './text/stem';
export { isStopWord } from './text/stop-words';
export { skeleton, toCyrillic, toLatin } from './text/translit';
export { jaroWinkler } from './values/similarity';
