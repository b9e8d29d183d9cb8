// snowball-stemmers ships JavaScript only; the part of its API we use (libs/baseline declares the same).
declare module 'snowball-stemmers' {
  interface Stemmer {
    stem(word: string): string;
  }
  export function newStemmer(language: string): Stemmer;
  export function algorithms(): string[];
}
