import type { FairShareOptions, SlotGroup } from '@t2s/queue';
import type { SegmentRepository } from '@t2s/service-store';

/**
 * How the execution stage's slots are shared between API keys, counted across every execution worker:
 * one key's slow SQL (a re-run batch, a person's runaway query) cannot hold every slot.
 */
export interface ExecutionShares {
  /** Execution jobs of one API key running at once (EXECUTION_SLOTS_PER_KEY). */
  slotsPerKey: number;
  /** Of those, batch items (EXECUTION_BATCH_SLOTS_PER_KEY): a key's own single segments keep a slot. */
  batchSlotsPerKey: number;
  /** Safety-net delay of a deferred job (FairShareOptions.parkMs); default: the lock duration. */
  parkMs?: number;
}

/**
 * The fair share of the execution queue: each job counts against its segment's API key and, for a batch
 * item, against the key's batch lane. The key is read from the segment (the payload stays ids only);
 * a segment that is gone is not limited, its stage is a no-op anyway.
 */
export function executionFairShare(
  shares: ExecutionShares,
  segments: Pick<SegmentRepository, 'findById'>,
  onDeferred?: (group: SlotGroup) => void,
): FairShareOptions {
  if (shares.batchSlotsPerKey > shares.slotsPerKey) {
    throw new RangeError('executionShares: batchSlotsPerKey cannot exceed slotsPerKey');
  }
  return {
    groupsOf: async (payload, lane) => {
      const segment = await segments.findById(payload.segmentId);
      if (!segment) return [];
      const key: SlotGroup = { id: `key:${segment.apiKeyId}`, limit: shares.slotsPerKey, kind: 'key' };
      if (lane !== 'batch') return [key];
      return [key, { id: `batch:${segment.apiKeyId}`, limit: shares.batchSlotsPerKey, kind: 'batch' }];
    },
    ...(shares.parkMs === undefined ? {} : { parkMs: shares.parkMs }),
    ...(onDeferred ? { onDeferred } : {}),
  };
}
