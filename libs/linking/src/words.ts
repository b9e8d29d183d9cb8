import { normalize, stem } from '@t2s/baseline';

/**
 * Words of a question or of a schema name, as stems: identifiers split at underscores and case changes
 * ("GasStationID" is "gas station id", "client_segment" is "client segment"), both scripts stemmed.
 */
export function words(text: string): string[] {
  const split = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_./-]+/g, ' ');
  const out: string[] = [];
  for (const match of normalize(split).matchAll(/[a-zа-я][a-zа-я0-9]*|\d+/g)) {
    const word = match[0];
    if (word.length < 2 && !/\d/.test(word)) continue;
    if (STOP.has(word)) continue;
    out.push(stem(word));
  }
  return out;
}

// Words that name nothing in a schema: articles, prepositions, question words, "client" and "bank"
// stay (they name tables).
const STOP = new Set(
  (
    'the a an of in on at to for from by with and or not no is are was were be been has have had do does ' +
    'did what which who whom whose how many much list give show find among than that this these those ' +
    'it its their them they please all any each per as into between over under more less most least ' +
    'и или в во на по с со к ко от до для из за не ни но а что как какой какие который которые ' +
    'кто сколько у о об при это эти тот те'
  ).split(' '),
);
