// What of the criteria text the service did not understand, placed in the text: the segment's
// `understanding.unparsed` lists fragments of the text as they appear in it; the console marks each one
// where it stands. Plain functions, no DOM, so the browser spec can call them directly.

/** The contracts' rule for a fragment that counts: it holds a letter or a digit. */
export function isMeaningful(fragment) {
  return /[\p{L}\p{N}]/u.test(fragment);
}

/**
 * The text cut into spans, `unparsed: true` on each fragment's place, and the fragments that could not
 * be placed (not in the text: a criterion a model wrote and the compiler refused). Each fragment takes
 * its first place not taken yet, as written, else ignoring case; a repeated fragment takes the next
 * occurrence, so two "в Брно" mark both.
 */
export function unparsedSpans(text, fragments) {
  const taken = [];
  const elsewhere = [];
  const free = (start, end) => taken.every((r) => end <= r.start || start >= r.end);
  const lower = text.toLowerCase();
  // Lower-casing keeps positions only when it keeps the length (it does for Cyrillic and Latin).
  const folded = lower.length === text.length ? lower : null;
  for (const raw of fragments) {
    const fragment = raw.trim();
    if (!isMeaningful(fragment)) continue;
    const place =
      findFree(text, fragment, free) ?? (folded && findFree(folded, fragment.toLowerCase(), free));
    if (place) taken.push(place);
    else elsewhere.push(fragment);
  }
  taken.sort((a, b) => a.start - b.start);
  const spans = [];
  let at = 0;
  for (const { start, end } of taken) {
    if (start > at) spans.push({ text: text.slice(at, start), unparsed: false });
    spans.push({ text: text.slice(start, end), unparsed: true });
    at = end;
  }
  if (at < text.length) spans.push({ text: text.slice(at), unparsed: false });
  return { spans, elsewhere };
}

function findFree(haystack, needle, free) {
  for (let start = haystack.indexOf(needle); start >= 0; start = haystack.indexOf(needle, start + 1)) {
    if (free(start, start + needle.length)) return { start, end: start + needle.length };
  }
  return null;
}
