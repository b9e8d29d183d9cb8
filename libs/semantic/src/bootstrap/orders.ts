import type { CommentCodes } from './comment-codes';
import { commentHead } from './comment-words';

/**
 * Degree words in the order they rank: a list whose every code means one of them, each a different
 * one, is ordered by them whatever order the comment lists it in ("unknown","secondary","primary",
 * "tertiary"; "A — минимальный риск; ... E — высокий риск").
 */
const DEGREES: RegExp[] = [
  /^(минимальн\p{L}*|minimal|minimum|lowest|очень низк\p{L}*|very low)/iu,
  /^(низк\p{L}*|low|начальн\p{L}*|primary|elementary|basic|базов\p{L}*|консервативн\p{L}*|conservative)/iu,
  /^(средн\p{L}*|medium|moderate|умеренн\p{L}*|secondary|intermediate|сбалансированн\p{L}*|balanced)/iu,
  /^(повышенн\p{L}*|elevated|above average|upper)/iu,
  /^(высок\p{L}*|высш\p{L}*|high|tertiary|advanced|агрессивн\p{L}*|aggressive)/iu,
  /^(максимальн\p{L}*|maximal|maximum|highest|очень высок\p{L}*|very high)/iu,
];

/**
 * Tiers of a card or a service package, lowest first: a list whose every code is a different one of
 * them is ordered so ("junior", "classic", "gold").
 */
const TIERS: RegExp[] = [
  /^(junior|детск\p{L}*|юниор\p{L}*)/iu,
  /^(classic|standard|классическ\p{L}*|стандартн\p{L}*)/iu,
  /^(gold|золот\p{L}*)/iu,
  /^(platinum|платинов\p{L}*)/iu,
  /^(black|infinite|signature|world elite|private|приват\p{L}*)/iu,
];

/** Codes that stand outside any scale ("unknown", "other", "не указано"). */
const OUTSIDE = /^(unknown|other|none|n\/a|na|неизвестн\p{L}*|прочее|друг\p{L}*|не указан\p{L}*)$/iu;

/** Words by which a comment says its codes are levels of one scale, listed from the lowest. */
const SCALE =
  /(?<!\p{L})(уров\p{L}*|категори\p{L}*|рейтинг\p{L}*|образовани\p{L}*|степен\p{L}*|сегмент\p{L}*|level|tier|grade|rating|education|rank|segment)(?!\p{L})/iu;

const RATING = /(?<!\p{L})(рейтинг\p{L}*|rating|grade|score)(?!\p{L})/iu;
const RISK = /(?<!\p{L})(риск\p{L}*|risk\p{L}*)(?!\p{L})/iu;

function rankIn(scale: readonly RegExp[], text: string): number | undefined {
  const i = scale.findIndex((pattern) => pattern.test(text.trim()));
  return i < 0 ? undefined : i;
}

/**
 * The column's codes from lowest to highest where the comment orders them: by degree words (or card
 * tiers) when each code has its own, else in the order listed when the comment names a scale (level,
 * category, tier, rating, education, segment). Null for an unordered list or a partial one (examples, an elided list).
 */
export function codeOrder(comment: string | null | undefined, codes: CommentCodes | null): string[] | null {
  if (!codes || !codes.complete || codes.kind === 'binary') return null;
  const ranked = codes.codes.filter((c) => !OUTSIDE.test(c.label ?? c.value));
  if (ranked.length < 3) return null;
  for (const scale of [DEGREES, TIERS]) {
    const ranks = ranked.map((c) => rankIn(scale, c.label ?? c.value) ?? rankIn(scale, c.value));
    if (ranks.every((r) => r !== undefined) && new Set(ranks).size === ranks.length) {
      const order = ranked
        .map((c, i) => ({ value: c.value, rank: ranks[i] as number }))
        .sort((a, b) => a.rank - b.rank)
        .map((c) => c.value);
      // A rating whose grades are degrees of risk ("A — минимальный риск"): a higher rating is less risk.
      const rating = RATING.test(commentHead(comment)) && ranked.every((c) => RISK.test(c.label ?? ''));
      return rating ? order.reverse() : order;
    }
  }
  return SCALE.test(commentHead(comment)) ? ranked.map((c) => c.value) : null;
}
