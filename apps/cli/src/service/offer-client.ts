import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  IDEMPOTENCY_KEY_HEADER,
  isTerminalStatus,
  segmentAcceptedSchema,
  segmentRequestSchema,
  segmentSchema,
  type Segment,
  type Understanding,
} from '@t2s/contracts';

export const sampleOffersSchema = z
  .array(z.object({ name: z.string().min(1), request: segmentRequestSchema }))
  .min(1, 'Must hold at least one offer');

export type SampleOffer = z.infer<typeof sampleOffersSchema>[number];

export function loadSampleOffers(file: string): SampleOffer[] {
  const parsed = sampleOffersSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

export interface OfferOutcome {
  offer: SampleOffer;
  segment: Segment;
  /** From the POST to the segment's final state, as the caller saw it. */
  ms: number;
}

const POLL_MS = 200;

/**
 * Co-marketer's side of the API: POST each offer (with an Idempotency-Key, as a client should), then
 * poll each segment until it finishes or `timeoutMs` passes. Offers run concurrently, as they would.
 */
export async function runOffers(
  baseUrl: string,
  apiKey: string,
  offers: readonly SampleOffer[],
  timeoutMs: number,
): Promise<OfferOutcome[]> {
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  return Promise.all(
    offers.map(async (offer) => {
      const started = performance.now();
      const response = await fetch(`${baseUrl}/v1/segments`, {
        method: 'POST',
        headers: { ...headers, [IDEMPOTENCY_KEY_HEADER]: crypto.randomUUID() },
        body: JSON.stringify(offer.request),
      });
      if (response.status !== 202) {
        throw new Error(`POST /v1/segments for "${offer.name}": ${response.status} ${await response.text()}`);
      }
      const accepted = segmentAcceptedSchema.parse(await response.json());
      const deadline = started + timeoutMs;
      for (;;) {
        const read = await fetch(`${baseUrl}${accepted.links.self}`, { headers });
        const segment = segmentSchema.parse(await read.json());
        if (isTerminalStatus(segment.status)) return { offer, segment, ms: performance.now() - started };
        if (performance.now() > deadline) {
          throw new Error(
            `"${offer.name}" still ${segment.status} at ${segment.stage} after ${timeoutMs} ms`,
          );
        }
        await new Promise((resolveWait) => setTimeout(resolveWait, POLL_MS));
      }
    }),
  );
}

/** What the README's main job prints per offer: criteria, SQL, size, a few ids, time. */
export function formatOutcome({ offer, segment, ms }: OfferOutcome): string {
  const lines = [
    `== ${offer.name}: ${segment.status} in ${(ms / 1000).toFixed(1)} s (segment ${segment.id})`,
  ];
  lines.push('criteria:');
  for (const item of segment.criteria?.items ?? []) {
    lines.push(`  ${item.kind === 'exclude' ? '-' : '+'} ${item.text}`);
  }
  lines.push(...understandingLines(segment.understanding));
  if (segment.sql) lines.push('sql:', ...segment.sql.split('\n').map((line) => `  ${line}`));
  if (segment.result) {
    lines.push(`size: ${segment.result.size}`, `ids: ${segment.result.sampleIds.slice(0, 10).join(', ')}`);
  }
  if (segment.error) lines.push(`error: ${segment.error.code}: ${segment.error.message}`);
  return lines.join('\n');
}

/**
 * What of the text was not understood, as `t2s segment` and `t2s demo` print it: the coverage, then each
 * fragment that was not applied (nothing when the text was understood whole).
 */
export function understandingLines(understanding: Understanding | null): string[] {
  if (understanding === null || understanding.unparsed.length === 0) return [];
  return [
    `understood: ${Math.round(understanding.coverage * 100)}% of the text`,
    ...understanding.unparsed.map((fragment) => `  ? not applied: ${fragment}`),
  ];
}
