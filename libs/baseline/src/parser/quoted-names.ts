// Names written in quotes ("подписка «Плюс»", 'карта "Кешбэк"'): the value whose own name or label quotes
// the same words ('Подписка «Плюс» (повышенный кешбэк)', 'Дебетовая карта «Кешбэк»'). A quoted name is a
// product's proper name, so it is matched whole, never by a word of it ("Плюс" is not «Пенсионный плюс»).
// Indexed once per linker, over every spelling of every value it links.
import type { Linker } from './value-linker';

export interface QuotedValue {
  column: string;
  value: string;
}

const QUOTED = /[«"“„]([^«»"“”„]{2,60})[»"”“]/g;

/** Values by the names they quote. */
type QuotedIndex = Map<string, QuotedValue[]>;

const byLinker = new WeakMap<Linker, QuotedIndex>();

const key = (name: string) => name.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();

function quotedIndex(linker: Linker): QuotedIndex {
  let index = byLinker.get(linker);
  if (!index) {
    const built: QuotedIndex = new Map();
    for (const [ref, spellings] of linker.names) {
      const at = ref.indexOf('=');
      const value = { column: ref.slice(0, at), value: ref.slice(at + 1) };
      const names = new Set(
        spellings.flatMap((s) => [...s.matchAll(QUOTED)].map((m) => key(m[1] as string))),
      );
      for (const name of names) built.set(name, [...(built.get(name) ?? []), value]);
    }
    byLinker.set(linker, built);
    index = built;
  }
  return index;
}

/** Each quoted name of the text that some values quote too: where its words are, and those values. */
export function quotedNames(
  linker: () => Linker,
  raw: string,
): { start: number; end: number; values: QuotedValue[] }[] {
  // No quote, no linker built: it is built on first use only.
  if (!/[«"“„]/.test(raw)) return [];
  const index = quotedIndex(linker());
  const found: { start: number; end: number; values: QuotedValue[] }[] = [];
  for (const match of raw.matchAll(QUOTED)) {
    const values = index.get(key(match[1] as string));
    if (!values) continue;
    const start = match.index + 1;
    found.push({ start, end: start + (match[1] as string).length, values });
  }
  return found;
}
