import {
  IDEMPOTENCY_KEY_HEADER,
  isExecutedStatus,
  isTerminalStatus,
  segmentAcceptedSchema,
  segmentSchema,
  type Segment,
} from '@t2s/contracts';
import type { CaseRunner, EvalCase, GeneratedSegment } from '@t2s/evaluation';

const POLL_MS = 200;
const TIMEOUT_MS = 300_000;

/**
 * A case through a running service, as Co-marketer calls it: POST, poll, then the members as CSV. The
 * service's own status is the case's (succeeded or needs_review; failed when not executed).
 */
export class ApiCaseRunner implements CaseRunner {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly strategy: string,
  ) {}

  async run(evalCase: EvalCase): Promise<GeneratedSegment> {
    const headers = { authorization: `Bearer ${this.apiKey}`, 'content-type': 'application/json' };
    const response = await fetch(`${this.baseUrl}/v1/segments`, {
      method: 'POST',
      headers: { ...headers, [IDEMPOTENCY_KEY_HEADER]: crypto.randomUUID() },
      body: JSON.stringify({
        offer: evalCase.offer,
        ...(evalCase.criteria === undefined ? {} : { criteria: evalCase.criteria }),
        options: { warehouse: evalCase.warehouse, strategy: this.strategy },
      }),
    });
    if (response.status !== 202) {
      return {
        ok: false,
        code: 'INVALID_REQUEST',
        message: `POST ${response.status}: ${await response.text()}`,
        tokens: 0,
      };
    }
    const accepted = segmentAcceptedSchema.parse(await response.json());
    const deadline = performance.now() + TIMEOUT_MS;
    let segment: Segment;
    for (;;) {
      segment = segmentSchema.parse(
        await (await fetch(`${this.baseUrl}${accepted.links.self}`, { headers })).json(),
      );
      if (isTerminalStatus(segment.status)) break;
      if (performance.now() > deadline) {
        return {
          ok: false,
          code: 'DEADLINE_EXCEEDED',
          message: `still ${segment.status} after ${TIMEOUT_MS} ms`,
          tokens: segment.tokens.total,
        };
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const criteria = (segment.criteria?.items ?? []).map(
      (c) => `${c.kind === 'exclude' ? '- ' : '+ '}${c.text}`,
    );
    const unparsed = segment.understanding?.unparsed ?? [];
    if (!isExecutedStatus(segment.status) || segment.error) {
      return {
        ok: false,
        code: segment.error?.code ?? 'INTERNAL',
        message: segment.error?.message ?? 'failed',
        ...(segment.sql ? { sql: segment.sql } : {}),
        criteria,
        unparsed,
        tokens: segment.tokens.total,
      };
    }
    const csv = await fetch(`${this.baseUrl}${accepted.links.members}`, {
      headers: { ...headers, accept: 'text/csv' },
    });
    const ids = (await csv.text()).trimEnd().split('\n').slice(1);
    return {
      ok: true,
      status: segment.status,
      sql: segment.sql ?? '',
      ids,
      criteria,
      unparsed,
      ...(segment.understanding ? { coverage: segment.understanding.coverage } : {}),
      tokens: segment.tokens.total,
      sqlMs: segment.timings.execution?.ms ?? 0,
    };
  }
}
