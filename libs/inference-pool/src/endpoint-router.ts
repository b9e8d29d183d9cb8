import { BaseLlmBackend, LlmCallError, type LlmBackend, type LlmCompletion, type LlmRequest } from '@t2s/llm';

const DEFAULT_COOL_DOWN_MS = 10_000;

/**
 * Several endpoints of one model (one vLLM replica per GPU, or a few tensor-parallel servers) as one
 * backend: each call goes to the healthy endpoint with the fewest calls in flight. An endpoint that
 * is unreachable, overloaded or rate limiting rests for its `Retry-After` (else a cool-down) and the
 * call moves to the next one; with all of them resting, the call fails `LLM_UNAVAILABLE` with the
 * shortest wait, for the pool to back off on.
 */
export class EndpointRouter extends BaseLlmBackend {
  readonly name = 'router';
  readonly model: string;
  private readonly state: { backend: LlmBackend; inFlight: number; restUntil: number }[];

  constructor(
    endpoints: readonly LlmBackend[],
    private readonly coolDownMs = DEFAULT_COOL_DOWN_MS,
    private readonly now: () => number = Date.now,
  ) {
    super();
    if (endpoints.length === 0) throw new Error('EndpointRouter needs at least one endpoint');
    this.model = (endpoints[0] as LlmBackend).model;
    this.state = endpoints.map((backend) => ({ backend, inFlight: 0, restUntil: 0 }));
  }

  /** Calls now in flight, per endpoint (for the busy-slots gauge). */
  inFlight(): number[] {
    return this.state.map((s) => s.inFlight);
  }

  async complete(request: LlmRequest): Promise<LlmCompletion> {
    const tried = new Set<number>();
    for (;;) {
      const now = this.now();
      const candidates = this.state
        .map((s, i) => ({ s, i }))
        .filter(({ s, i }) => !tried.has(i) && s.restUntil <= now)
        .sort((a, b) => a.s.inFlight - b.s.inFlight || a.i - b.i);
      const pick = candidates[0];
      if (!pick) {
        const wait = Math.max(0, Math.min(...this.state.map((s) => s.restUntil)) - now);
        throw new LlmCallError(
          'LLM_UNAVAILABLE',
          'every endpoint is resting or failed this call',
          wait || this.coolDownMs,
        );
      }
      tried.add(pick.i);
      pick.s.inFlight++;
      try {
        return await pick.s.backend.complete(request);
      } catch (error) {
        if (!(error instanceof LlmCallError) || error.code !== 'LLM_UNAVAILABLE') throw error;
        pick.s.restUntil = this.now() + (error.retryAfterMs ?? this.coolDownMs);
      } finally {
        pick.s.inFlight--;
      }
    }
  }
}
