import { Lexicon } from '../lexicon/lexicon';
import { wordSenses } from './word-forms';

describe('wordSenses', () => {
  const lexicon = Lexicon.load();

  it.each([
    ['владельцы', 'owner'], // владелец: е drops
    ['остатку', 'balanc'], // остаток: о drops
    ['остатком', 'balanc'],
    ['звонка', 'call'], // звонок
  ])('finds the headword of a stem whose vowel drops: %s', (word, sense) => {
    expect(wordSenses(word, lexicon)).toContain(sense);
  });
});
