import type { LexEntry } from '../lexicon';
import type { Token } from '../text/tokens';

/** "у нас", "with us": where the client did it, inside a term. */
const WITH_US = /^(?:у|в|с|at|with) (?:нас|вас|нам|us|you)$/;

/**
 * The last token index of `entry` matched at token `i`, or null. An attribute's multi-word term may have
 * one extra word inside ("остатком [основного] долга"); values and codes match word for word.
 */
export function matchAt(
  tokens: readonly Token[],
  i: number,
  entry: LexEntry,
  /** Whether a word may be skipped inside an attribute's term (not one that names a value). */
  skippable: (token: Token) => boolean = () => true,
): number | null {
  const exact = entry.kind === 'value' && entry.exact === true;
  const gapAllowed = entry.kind === 'attr' && entry.stems.length >= 2;
  let at = i;
  let gaps = 0;
  for (let k = 0; k < entry.stems.length; k++) {
    const stem = entry.stems[k] as string;
    const fits = (t: Token | undefined) =>
      t !== undefined &&
      (exact
        ? t.text === stem
        : entry.kind === 'attr'
          ? stemMatches(t, stem)
          : valueStemMatches(t.stem, stem));
    if (fits(tokens[at])) {
      at++;
      continue;
    }
    const gap = tokens[at];
    if (k > 0 && gapAllowed && gaps === 0 && gap?.kind === 'word' && skippable(gap) && fits(tokens[at + 1])) {
      gaps++;
      at += 2;
      continue;
    }
    // "открыли [у нас] счёт", "opened an account [with us]": where it was done is one gap.
    if (
      k > 0 &&
      gapAllowed &&
      gaps === 0 &&
      WITH_US.test(`${gap?.text} ${tokens[at + 1]?.text}`) &&
      fits(tokens[at + 2])
    ) {
      gaps++;
      at += 3;
      continue;
    }
    return null;
  }
  return at - 1;
}

export function stemMatches(token: Token, stem: string): boolean {
  if (token.stem === stem) return true;
  return token.stem.length >= 5 && stem.length >= 5 && stemsClose(token.stem, stem);
}

/** Two stems of one word: a common prefix of all but the last two letters of the shorter. */
export function stemsClose(a: string, b: string): boolean {
  const shorter = Math.min(a.length, b.length);
  // Forms of one word, not a longer word that starts with it ("contact" / "contactless").
  if (Math.abs(a.length - b.length) > 3) return false;
  const need = Math.max(5, shorter - 2);
  return a.slice(0, need) === b.slice(0, need);
}

/**
 * Snowball stems one word's forms slightly differently ("рестораны" → "рестора", "ресторанах" →
 * "ресторан"): a value's stem also matches one letter longer or shorter, for stems of 7 letters or more.
 */
export function valueStemMatches(token: string, stem: string): boolean {
  if (token === stem) return true;
  const [short, long] = token.length <= stem.length ? [token, stem] : [stem, token];
  return short.length >= 7 && long.length - short.length === 1 && long.startsWith(short);
}
