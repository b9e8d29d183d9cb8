import type { Stage } from './stage';

/**
 * Thrown by a stage that must wait for LLM calls (the inference pool's jobs): the stage worker adds
 * them as child jobs and parks the stage job in BullMQ's waiting-children state, which frees its
 * worker slot; when they finish, the stage runs again and finds their answers. Not an error of the
 * run: stage runners let it through untouched.
 */
export class StageSuspended extends Error {
  override readonly name = 'StageSuspended';

  constructor(readonly calls: readonly { callId: string; segmentId: string; stage: Stage }[]) {
    super(`waiting for ${calls.length} LLM call(s)`);
  }

  /** `instanceof` fails across module copies (Jest registries): recognise the shape too. */
  static is(value: unknown): value is StageSuspended {
    return (
      value instanceof StageSuspended ||
      (value instanceof Error && value.name === 'StageSuspended' && 'calls' in value)
    );
  }
}
