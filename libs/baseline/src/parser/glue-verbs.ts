// Verbs that tie a client to what a criterion reads ("получили кешбэк", "пришли в банк", "pay leasing",
// "card issued", "account held at"): left over beside criteria that were read, a verb form that is no
// name by itself (no one-word term, value or column of the model's lexicon, no value or attribute spelt
// so) says how, not what. Such a word counts as read; a verb that names a value ("opened" an email,
// "declined"), and the whole fragment when nothing was read, are still reported.
import { phraseStems, type Token } from '../text/tokens';
import type { ParseContext } from './context';
import { candidatesByStem } from './lexicon-index';
import { FILLER, IN_FORCE } from './words';

// Finite verbs (past "-ли", "-ла", "пришли", "вошёл", present "-ют", "-ят", "-ет", "-ит", infinitive "-ть", reflexive
// "-ся"), active participles ("-ющий", "-вший") and short passive ones ("оформлено", "выдана").
const RUSSIAN_VERB =
  /(?:[аяеиоуыш]ли|[аяеиоуыш]ла|[аяеиоуы]ло|шло|[аяеиоуы]л|шёл|ют|ят|ут|ат|ет|ит|ешь|ть|ться|сь|ся|ющ[а-я]{1,3}|ящ[а-я]{1,3}|ущ[а-я]{1,3}|ащ[а-я]{1,3}|вш[а-я]{1,3})$/;
// Short passive participles ("оформлено", "подключена"); shorter words so spelt are mostly nouns ("цена").
const RUSSIAN_PASSIVE = /[аяе]н[ао]$/;
/** A short passive participle or a past participle: "оформлено", "подключена", "открыт", "issued". */
export const PARTICIPLE = /^(?:[а-яё]{4,}(?:ен|ан|ян)[аоы]?|[а-яё]{4,}т[аоы]?|[a-z]{3,}ed)$/;
// Regular forms, and the closed class of common irregular ones.
const ENGLISH_VERB = /^[a-z]{3,}(?:ed|ing)$/;
const IRREGULAR = new Set(
  (
    'pay pays paid paying get gets got gotten make makes made take takes took taken send sends sent ' +
    'spend spends spent come comes came keep keeps kept buy buys bought give gives gave given hold ' +
    'holds held put puts go goes went gone use uses run runs ran leave leaves left bring brings brought ' +
    'become becomes became'
  ).split(' '),
);

export function glueVerbs(ctx: ParseContext, fragment: readonly Token[] = []): (token: Token) => boolean {
  const said = new Set(fragment.filter((t) => t.kind === 'word' && !FILLER.has(t.stem)).map((t) => t.stem));
  return (token) => {
    if (token.kind !== 'word' || token.text.length < 3 || IN_FORCE.has(token.stem)) return false;
    const verb = /[а-яё]/.test(token.text)
      ? RUSSIAN_VERB.test(token.text) || (token.text.length >= 7 && RUSSIAN_PASSIVE.test(token.text))
      : ENGLISH_VERB.test(token.text) || IRREGULAR.has(token.text);
    if (!verb) return false;
    // A word that is a whole name by itself (a one-word term, value or column) is no glue; one that is
    // only part of longer names ("получили" of "получили отказ") was tried there and did not match.
    if (candidatesByStem(ctx.lexicon, token.stem).some((e) => e.stems.length === 1)) return false;
    // Spelt as a name, or as a word of one whose other words the fragment says too: "spent" beside no
    // other word of "spent in total" is glue; "работают" beside the rest of "работают в IT" is not.
    const spelt = (m: { via: string; surface: string }) =>
      m.via !== 'lexicon' &&
      m.via !== 'fuzzy' &&
      phraseStems(m.surface).some(
        (stem, _, all) => all.length === 1 || (stem !== token.stem && said.has(stem)),
      );
    const linker = ctx.linker();
    return !linker.values.match(token.text).some(spelt) && !linker.attributes.match(token.text).some(spelt);
  };
}
