import { AsyncLocalStorage } from 'node:async_hooks';
import type { Stage, StageJobPayload } from '@t2s/contracts';

export interface StageJobContext {
  stage: Stage;
  payload: StageJobPayload;
  /** LLM calls made so far in this execution of the stage, in order: a call's place in its stage. */
  calls: number;
}

const storage = new AsyncLocalStorage<StageJobContext>();

/** The stage job the current code runs for (inside a stage worker's handler), if any. */
export function currentStageJob(): StageJobContext | undefined {
  return storage.getStore();
}

export function runInStageJob<T>(context: StageJobContext, run: () => Promise<T>): Promise<T> {
  return storage.run(context, run);
}
