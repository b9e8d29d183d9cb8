import { Lexicon } from './lexicon';
import { conceptStem, lexiconKey } from './lexicon-key';

describe('lexiconKey', () => {
  it('keeps content words, stemmed to a fixed point', () => {
    expect(lexiconKey('ушедший на пенсию', 'ru')).toBe('ушедш пенс');
    expect(conceptStem('divorcee', 'en')).toBe(conceptStem('divorced', 'en'));
    expect(lexiconKey('v důchodu', 'cs')).toBe('duchod');
    expect(lexiconKey('the and of', 'en')).toBe('');
  });
});

describe('the committed lexicon', () => {
  const lexicon = Lexicon.load();

  it('is loaded once', () => {
    expect(Lexicon.load()).toBe(lexicon);
    expect(lexicon.size.ru).toBeGreaterThan(50_000);
    expect(lexicon.size.cs).toBeGreaterThan(50_000);
  });

  it.each([
    ['russian', 'женат', 'marri'],
    ['russian', 'холост', 'singl'],
    ['russian', 'безработн', 'unemploy'],
    ['russian', 'восток', 'east'],
    ['czech', 'vychod', 'east'],
    ['czech', 'tydn', 'week'],
    ['czech', 'prah', 'pragu'],
  ] as const)('gives the %s key %s the sense %s', (language, key, english) => {
    expect(lexicon[language](key)).toContain(english);
  });

  it('parses lines of its own format', () => {
    const small = Lexicon.fromLines(['# header', 'женат\tmarri|wed'], ['mest\tciti|town']);
    expect([small.russian('женат'), small.czech('mest'), small.russian('нет')]).toEqual([
      ['marri', 'wed'],
      ['citi', 'town'],
      [],
    ]);
  });
});

describe('glossaryWith', () => {
  it('gives the concepts a word is said with in the glossary’s phrases', () => {
    const small = Lexicon.fromLines([], [], ['balance|account balance\tостаток|остаток на счете']);
    expect(small.glossaryWith(lexiconKey('счете', 'ru'))).toEqual(['balanc', 'account balanc']);
    expect(small.glossaryWith(lexiconKey('вклад', 'ru'))).toEqual([]);
  });
});

describe('negatedGlossary', () => {
  it('names a concept by what its negated phrase negates', () => {
    const small = Lexicon.fromLines([], [], ['single|never married\tхолост|не женат']);
    expect(small.negatedGlossary(lexiconKey('married', 'en'))).toEqual(['singl']);
    expect(small.negatedGlossary(lexiconKey('женат', 'ru'))).toEqual(['singl']);
    expect(small.english(lexiconKey('married', 'en'))).toEqual([]);
  });
});
