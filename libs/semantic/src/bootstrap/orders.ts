import type { CommentCodes } from './comment-codes';
import { commentHead } from './comment-words';

/**
 * Degree words in the order they rank: a list whose every code means one of them, each a different
 * one, is ordered by them whatever order the comment lists it in ("unknown","secondary","primary",
 * "tertiary"; "A — минимальный риск; ... E — высокий риск").
 */
const DEGREES: RegExp[] = [
  /^(минимальн\p{L}*|minimal|minimum|lowest|очень низк\p{L}*|very low)/iu,
  /^(низк\p{L}*|low|начальн\p{L}*|primary|elementary|basic|базов\p{L}*)/iu,
  /^(средн\p{L}*|medium|moderate|умеренн\p{L}*|secondary|intermediate)/iu,
  /^(повышенн\p{L}*|elevated|above average|upper)/iu,
  /^(высок\p{L}*|высш\p{L}*|high|tertiary|advanced)/iu,
  /^(максимальн\p{L}*|maximal|maximum|highest|очень высок\p{L}*|very high)/iu,
];

/** Codes that stand outside any scale ("unknown", "other", "не указано"). */
const OUTSIDE = /^(unknown|other|none|n\/a|na|неизвестн\p{L}*|прочее|друг\p{L}*|не указан\p{L}*)$/iu;

/** Words by which a comment says its codes are levels of one scale, listed from the lowest. */
const SCALE =
  /(?<!\p{L})(уров\p{L}*|категори\p{L}*|рейтинг\p{L}*|образовани\p{L}*|степен\p{L}*|level|tier|grade|rating|education|rank)(?!\p{L})/iu;

function degree(text: string): number | undefined {
  const i = DEGREES.findIndex((pattern) => pattern.test(text.trim()));
  return i < 0 ? undefined : i;
}

/**
 * The column's codes from lowest to highest where the comment orders them: by degree words when each
 * code has its own, else in the order listed when the comment names a scale (level, category,
 * tier, rating, education). Null for an unordered list or a partial one (examples, an elided list).
 */
export function codeOrder(comment: string | null | undefined, codes: CommentCodes | null): string[] | null {
  if (!codes || !codes.complete || codes.kind === 'binary') return null;
  const ranked = codes.codes.filter((c) => !OUTSIDE.test(c.label ?? c.value));
  if (ranked.length < 3) return null;
  const degrees = ranked.map((c) => degree(c.label ?? c.value));
  if (degrees.every((d) => d !== undefined) && new Set(degrees).size === degrees.length) {
    return ranked
      .map((c, i) => ({ value: c.value, rank: degrees[i] as number }))
      .sort((a, b) => a.rank - b.rank)
      .map((c) => c.value);
  }
  return SCALE.test(commentHead(comment)) ? ranked.map((c) => c.value) : null;
}
