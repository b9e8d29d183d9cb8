// "Understood, or says so": how much of a criteria text (or of an offer) became criteria, and what did
// not. The criteria stage, the eval harness and the API views all decide a run's final status with the
// functions here, so a run scored by `t2s eval` ends as the service would end it.
import type { Offer } from './offer.schema';
import type { ExecutedSegmentStatus } from './stage';
import { z } from './zod-openapi';

/**
 * What a run does when part of the text maps to no warehouse data. review: it runs and ends
 * `needs_review` (for a person at the console); fail: it fails with CRITERIA_PARTIAL before any SQL runs
 * (for automated callers, which would otherwise send a segment broader than the text).
 */
export const ON_UNPARSED_MODES = ['review', 'fail'] as const;
export type OnUnparsed = (typeof ON_UNPARSED_MODES)[number];

export const understandingSchema = z
  .object({
    coverage: z
      .number()
      .min(0)
      .max(1)
      .openapi({
        description:
          "Share of the text's content that became criteria, 0..1: as the strategy counts it (the baseline " +
          'counts content words), else 1 − unparsed characters / text characters. 1 when nothing is unparsed.',
        example: 0.8,
      }),
    unparsed: z.array(z.string()).openapi({
      description:
        'Fragments of the text (or of the offer) that became no criterion, as they appear in it: not ' +
        'applied, so the segment may be broader than the text. Any fragment with a letter or digit makes ' +
        'the run end `needs_review`.',
      example: ['любит котиков'],
    }),
  })
  .openapi('Understanding', {
    description: 'How much of the text the criteria stage understood, and what it did not.',
  });

export type Understanding = z.infer<typeof understandingSchema>;

/** A fragment worth a person's look: it holds a letter or a digit (punctuation or spaces alone say nothing). */
export function isMeaningfulFragment(fragment: string): boolean {
  return /[\p{L}\p{N}]/u.test(fragment);
}

/** The fragments that make a run `needs_review` (or fail it, with `onUnparsed: "fail"`). */
export function meaningfulUnparsed(understanding: Pick<Understanding, 'unparsed'>): string[] {
  return understanding.unparsed.filter(isMeaningfulFragment);
}

/**
 * The understanding of `text` from what a strategy reported: its fragments, and its coverage when it
 * counts one (the baseline parser does); otherwise coverage is derived from characters, 1 when no
 * fragment is meaningful. Strategy-agnostic: the LLM strategy's `unparsed` is read the same way.
 */
export function understandingOf(
  text: string,
  unparsed: readonly string[],
  coverage?: number | undefined,
): Understanding {
  const fragments = [...unparsed];
  if (coverage !== undefined && Number.isFinite(coverage)) {
    return { coverage: clamp(coverage), unparsed: fragments };
  }
  const missed = fragments.filter(isMeaningfulFragment);
  if (missed.length === 0) return { coverage: 1, unparsed: fragments };
  const whole = text.trim().length;
  const lost = missed.reduce((sum, fragment) => sum + fragment.trim().length, 0);
  return { coverage: whole === 0 ? 0 : clamp(1 - lost / whole), unparsed: fragments };
}

/**
 * The text a run's criteria are read from, which coverage is counted against: the marketer's criteria
 * when given, else the parts of the offer a strategy reads (title, description, conditions, product name).
 */
export function understoodText(offer: Offer, criteriaText?: string): string {
  if (criteriaText !== undefined) return criteriaText;
  return [offer.title, offer.description, ...(offer.conditions ?? []), offer.product.name]
    .filter((part): part is string => typeof part === 'string')
    .join('\n');
}

/**
 * The final status of a run whose query executed: `needs_review` when a meaningful fragment of the text
 * was not understood, else `succeeded`. The one rule the execution stage and the eval harness apply.
 */
export function executedStatus(understanding: Pick<Understanding, 'unparsed'> | null): ExecutedSegmentStatus {
  return understanding !== null && meaningfulUnparsed(understanding).length > 0
    ? 'needs_review'
    : 'succeeded';
}

/** The CRITERIA_PARTIAL message: the fragments, quoted, so a log or a webhook names them. */
export function criteriaPartialMessage(understanding: Pick<Understanding, 'unparsed'>): string {
  const fragments = meaningfulUnparsed(understanding).map((f) => JSON.stringify(f));
  return `Part of the criteria maps to no warehouse data, so the run stopped before any SQL (options.onUnparsed is "fail"): ${fragments.join(', ')}`;
}

function clamp(x: number): number {
  return Math.min(1, Math.max(0, x));
}
