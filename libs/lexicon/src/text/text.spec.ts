import { normalise, normalisedKey, tokenize } from './normalise';
import { stemKeys } from './stem';
import { isStopWord } from './stop-words';
import { skeleton, toCyrillic, toLatin } from './translit';

describe('normalise', () => {
  it('folds case, ё, Latin diacritics, dashes and quotes, and keeps й', () => {
    expect(normalise('Ёлка «Йошкар–Ола» Plzeň Ústí nad Labem Straße')).toBe(
      'елка йошкар-ола plzen usti nad labem strasse',
    );
  });

  it('splits words at hyphens, dots and spaces, with their offsets', () => {
    const text = 'Hl.m. Praha, Усти-над-Лабем';
    expect(tokenize(text).map((t) => [t.norm, text.slice(t.start, t.end)])).toEqual([
      ['hl', 'Hl'],
      ['m', 'm'],
      ['praha', 'Praha'],
      ['усти', 'Усти'],
      ['над', 'над'],
      ['лабем', 'Лабем'],
    ]);
    expect(normalisedKey('Frydek - Mistek')).toBe(normalisedKey('Frýdek-Místek'));
  });
});

describe('stems and stop words', () => {
  it('stems Cyrillic words as Russian and Latin words as both English and Czech', () => {
    expect(stemKeys('праге')).toEqual(['ru:праг']);
    expect(stemKeys('retired')).toEqual(['en:retir', 'cs:retired']);
    expect(stemKeys('2020')).toEqual(['#:2020']);
  });

  it('knows function words of the three languages', () => {
    for (const word of ['в', 'и', 'the', 'no', 'nad', 've']) expect(isStopWord(word)).toBe(true);
    for (const word of ['прага', 'retired', 'mesto']) expect(isStopWord(word)).toBe(false);
  });
});

describe('transliteration', () => {
  it('writes Russian in the Czech-like scientific scheme', () => {
    expect(['оломоуц', 'ческе', 'пльзень', 'хеб', 'есеник'].map(toLatin)).toEqual([
      'olomouc',
      'ceske',
      'plzen',
      'xeb',
      'jesenik',
    ]);
  });

  it('reads Latin spellings in Cyrillic as a Russian reader says Czech', () => {
    expect(['praha', 'cheb', 'jihlava', 'karlovy', 'olomouc'].map(toCyrillic)).toEqual([
      'прага',
      'хеб',
      'йиглава',
      'карловы',
      'оломоуц',
    ]);
  });

  it('folds both scripts to one spelling key', () => {
    expect(skeleton(toLatin('прага'))).toBe(skeleton('praha'));
    expect(skeleton(toLatin('хеб'))).toBe(skeleton('cheb'));
    expect(skeleton(toLatin('йиглава'))).toBe(skeleton('jihlava'));
    expect(skeleton('shcherbakov')).toBe(skeleton(toLatin('щербаков')));
    expect(skeleton('praha')).not.toBe(skeleton('brno'));
  });
});
