// Russian words derived from a place's name: its people ("москвичи", "петербуржцы", "сибиряки",
// "новосибирцы") and the land around it ("Подмосковье", "Приморье"). Such a word names the place value
// whose name it is built on: the city, region or district a column of places holds. Built once per
// lexicon; only columns whose comment or name says they hold places are searched.
import type { SemanticModel } from '@t2s/semantic';
import type { LexEntry } from '../lexicon';
import type { LexiconIndex } from './lexicon-index';

type ValueEntry = Extract<LexEntry, { kind: 'value' }>;

// The people of a place, in any case and number.
const PEOPLE =
  /^([а-яё]{4,}?)(?:ичи|ичей|ичам|ичами|ичах|ич|ичка|ички|цы|цев|цам|цами|цах|ец|яки|яков|якам|яками|як|ане|ан|анам|анами|яне|ян|янам|янами)$/;
// The land around a place ("под Москвой": Подмосковье), in any case.
const AROUND = /^(?:под|при|за)([а-яё]{4,}?)(?:ье|ья|ью|ьем|ьи)$/;
// A consonant that alternates before a suffix ("петербуржцы" of Петербург, "сибиряки" of Сибирь).
const ALTERNATES: Record<string, string> = { ж: 'г', ч: 'к', ш: 'х' };

const PLACE_COLUMN =
  /город|населённ|населен|регион|област|округ|район|стран|city|town|settlement|region|district|country|province|state/i;

const byLexicon = new WeakMap<LexiconIndex, ValueEntry[]>();

function placeEntries(model: SemanticModel, lexicon: LexiconIndex): ValueEntry[] {
  let entries = byLexicon.get(lexicon);
  if (!entries) {
    const place = new Map<string, boolean>();
    entries = [];
    for (const list of lexicon.byFirstStem.values())
      for (const entry of list) {
        if (entry.kind !== 'value' || entry.partial || entry.weak) continue;
        if (!place.has(entry.column)) {
          const comment = model.graph.column(entry.column)?.comment ?? '';
          place.set(entry.column, PLACE_COLUMN.test(`${entry.column.split('.')[1] ?? ''} ${comment}`));
        }
        if (place.get(entry.column)) entries.push(entry);
      }
    byLexicon.set(lexicon, entries);
  }
  return entries;
}

/** The place values a word derived from a place's name names; none for other words. */
export function placeValues(model: SemanticModel, lexicon: LexiconIndex, word: string): ValueEntry[] {
  const base = (AROUND.exec(word) ?? PEOPLE.exec(word))?.[1];
  if (!base) return [];
  const last = base.slice(-1);
  const bases = [base, ...(ALTERNATES[last] ? [base.slice(0, -1) + ALTERNATES[last]] : [])];
  const found = new Map<string, ValueEntry>();
  for (const e of placeEntries(model, lexicon))
    if (e.stems.some((stem) => bases.some((b) => stem.startsWith(b))))
      found.set(`${e.column}=${e.value}`, found.get(`${e.column}=${e.value}`) ?? e);
  // A base several places of one column share names none of them.
  const columns = new Set([...found.values()].map((e) => e.column));
  return columns.size === found.size ? [...found.values()] : [];
}
