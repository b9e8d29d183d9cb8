import { createHash } from 'node:crypto';
import { StageSuspended } from '@t2s/contracts';
import { BaseLlmBackend, LlmCallError, type LlmCompletion, type LlmRequest } from '@t2s/llm';
import { currentStageJob } from '@t2s/queue';
import type { LlmCallStore } from './llm-call-store';

/**
 * The stages' backend when the inference pool serves the model. A call made inside a stage job is
 * named by its place in the stage (revision, stage, pass, its order, its request); if the store has
 * its answer, that is the answer; if not, the request is stored and the stage suspends
 * (`StageSuspended`): the stage worker adds the call as a child job of the `llm` queue and parks the
 * stage job, which runs again, replaying the answers it has, once the call is answered. No worker
 * slot waits on a model.
 */
export class PooledLlmBackend extends BaseLlmBackend {
  readonly name = 'llm-pool';

  constructor(
    private readonly store: LlmCallStore,
    readonly model: string,
  ) {
    super();
  }

  async complete(request: LlmRequest): Promise<LlmCompletion> {
    const job = currentStageJob();
    if (!job) throw new Error('PooledLlmBackend works inside a stage job only');
    const index = job.calls++;
    const { revisionId, pass, segmentId } = job.payload;
    const callId = uuidFrom(`${revisionId}:${job.stage}:${pass}:${index}:${JSON.stringify(request)}`);
    const answer = await this.store.answer(callId);
    if (answer?.ok) return answer.completion;
    if (answer) {
      throw new LlmCallError(answer.code as 'LLM_UNAVAILABLE', answer.message, answer.retryAfterMs);
    }
    await this.store.putRequest(callId, request);
    throw new StageSuspended([{ callId, segmentId, stage: job.stage }]);
  }
}

/** A stable UUID (version 4 layout) from a name: the same call always gets the same job id. */
function uuidFrom(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
