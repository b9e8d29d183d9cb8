import { randomUUID } from 'node:crypto';
import { JOB_NAMES, type LlmJobPayload, type Stage } from '@t2s/contracts';
import { BaseLlmBackend, LlmCallError, type LlmCompletion, type LlmRequest } from '@t2s/llm';
import type { Queue, QueueEvents } from 'bullmq';
import { LLM_JOB_OPTIONS } from '@t2s/queue';
import type { LlmCallStore } from '../llm-call-store';

/**
 * Test support: a caller of the pool that waits for the answer in place (stages use PooledLlmBackend,
 * which parks the stage job instead). The call goes to the `llm` queue, with the request in the store
 * and the call id as job id; the answer comes back from the store when the job finishes, within
 * `timeoutMs`.
 */
export class QueuedLlmBackend extends BaseLlmBackend {
  readonly name = 'llm-pool';

  constructor(
    private readonly queue: Queue<LlmJobPayload>,
    private readonly events: QueueEvents,
    private readonly store: LlmCallStore,
    readonly model: string,
    private readonly context: { segmentId: string; stage: Stage },
    private readonly timeoutMs: number,
  ) {
    super();
  }

  async complete(request: LlmRequest): Promise<LlmCompletion> {
    const callId = randomUUID();
    await this.store.putRequest(callId, request);
    const job = await this.queue.add(
      JOB_NAMES.llm,
      { v: 1, callId, segmentId: this.context.segmentId, stage: this.context.stage },
      { ...LLM_JOB_OPTIONS, jobId: callId },
    );
    try {
      await job.waitUntilFinished(this.events, this.timeoutMs);
    } catch (error) {
      const answer = await this.store.answer(callId);
      if (answer && !answer.ok)
        throw new LlmCallError(answer.code as 'LLM_UNAVAILABLE', answer.message, answer.retryAfterMs);
      if (/timed out/i.test((error as Error).message ?? '')) {
        throw new LlmCallError(
          'LLM_TIMEOUT',
          `the llm pool did not answer call ${callId} in ${this.timeoutMs} ms`,
        );
      }
      throw new LlmCallError('LLM_UNAVAILABLE', `llm pool: ${(error as Error).message}`);
    }
    const answer = await this.store.answer(callId);
    if (!answer)
      throw new LlmCallError('LLM_UNAVAILABLE', `llm pool: call ${callId} finished without an answer`);
    if (!answer.ok)
      throw new LlmCallError(answer.code as 'LLM_UNAVAILABLE', answer.message, answer.retryAfterMs);
    return answer.completion;
  }
}
