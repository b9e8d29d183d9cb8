import { AppError, type Batch, type BatchRequest, type ErrorDetail } from '@t2s/contracts';
import { hashRequest, type BatchRepository, type IdempotencyRepository } from '@t2s/service-store';
import type { Caller, SegmentService } from './segment.service';

export interface BatchServiceDeps {
  segments: SegmentService;
  batches: BatchRepository;
  idempotency: IdempotencyRepository;
}

/**
 * Many segment requests, or many re-runs, in one call (ops re-running a campaign's segments). Items start
 * one by one through the same use cases as single requests, so a batch item behaves exactly like a
 * segment created alone, except that it waits in the batch lane: every stage takes single segments
 * first, and the execution stage gives a key's batch items fewer slots than the key has.
 */
export class BatchService {
  constructor(private readonly deps: BatchServiceDeps) {}

  async create(caller: Caller, request: BatchRequest, idempotencyKey?: string): Promise<Batch> {
    const ref = idempotencyKey ? { apiKeyId: caller.id, scope: 'batch', key: idempotencyKey } : null;
    const batchId = await this.deps.idempotency.once(ref, hashRequest(request), async () =>
      request.segments !== undefined
        ? this.createSegments(caller, request.segments, idempotencyKey)
        : this.rerunSegments(caller, request.rerun),
    );
    return this.get(caller, batchId);
  }

  async get(caller: Caller, id: string): Promise<Batch> {
    const batch = await this.deps.batches.get(id, caller.id, { admin: caller.admin });
    if (!batch) throw new AppError('NOT_FOUND', `No batch ${id}`);
    return batch;
  }

  private async createSegments(
    caller: Caller,
    requests: NonNullable<BatchRequest['segments']>,
    idempotencyKey: string | undefined,
  ): Promise<string> {
    // Every item is checked before any is created: a batch is refused whole, not half-created.
    for (const [index, request] of requests.entries()) {
      this.deps.segments.checkWarehouse(request, `segments.${index}.`);
      this.deps.segments.checkWebhook(request, `segments.${index}.`);
      await this.deps.segments.checkCriteriaSpec(request, `segments.${index}.`);
    }
    const items = [];
    for (const [index, request] of requests.entries()) {
      // Per-item keys: a batch retried after a crash half-way finds the segments it already created.
      const itemKey = idempotencyKey === undefined ? undefined : `batch:${idempotencyKey}:${index}`;
      const { accepted } = await this.deps.segments.create(caller, request, itemKey, 'batch');
      items.push({ segmentId: accepted.id });
    }
    return this.deps.batches.create({ apiKeyId: caller.id, kind: 'segments', items });
  }

  private async rerunSegments(caller: Caller, ids: readonly string[]): Promise<string> {
    // All or nothing: an unknown id is the client's mistake, better reported before anything runs.
    const missing: ErrorDetail[] = [];
    for (const [index, id] of ids.entries()) {
      await this.deps.segments.require(caller, id).catch((error: unknown) => {
        if (!AppError.is(error) || error.code !== 'NOT_FOUND') throw error;
        missing.push({ path: `rerun.${index}`, reason: `No segment ${id}` });
      });
    }
    if (missing.length > 0) {
      throw new AppError('NOT_FOUND', `${missing.length} of the segments to re-run do not exist`, {
        details: missing,
      });
    }
    const items = [];
    for (const id of ids) {
      const accepted = await this.deps.segments.rerun(caller, id, undefined, 'batch');
      // The report sums the diffs of exactly these revisions' runs.
      items.push({ segmentId: id, revisionId: accepted.revision.id });
    }
    return this.deps.batches.create({ apiKeyId: caller.id, kind: 'rerun', items });
  }
}
