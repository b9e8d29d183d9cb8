import type { GuardCode } from '@t2s/sql-guard';
import type { SandboxErrorCode } from './sandbox-result';

export interface RefusalDetails {
  code: SandboxErrorCode;
  message: string;
  retryable: boolean;
  guardCode?: GuardCode;
  sqlState?: string;
  /** The session cannot be trusted any more: destroy it instead of rolling back and pooling it. */
  brokenConnection?: boolean;
}

/**
 * A failure the sandbox decided itself (cost cap, output shape, a stalled warehouse), thrown out of the
 * transaction so that rollback and release happen in one place, then turned into a SandboxFailure.
 */
export class SandboxRefusal extends Error {
  constructor(readonly details: RefusalDetails) {
    super(details.message);
    this.name = 'SandboxRefusal';
  }
}

/** What `onIds` threw: the caller's storage failed, so the error goes back to the caller as it was. */
export class ConsumerError extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
    this.name = 'ConsumerError';
  }
}
