import {
  AppError,
  segmentLinks,
  type Approval,
  type ApprovalRequest,
  type MembersPage,
  type RevisionRequest,
  type RunLane,
  type Segment,
  type SegmentAccepted,
  type SegmentList,
  type SegmentListQuery,
  type SegmentRequest,
  type Stage,
} from '@t2s/contracts';
import {
  approvalView,
  hashRequest,
  toApiView,
  type ApprovalRepository,
  type SegmentListRepository,
  type IdempotencyRepository,
  type MemberStore,
  type RevisionRecord,
  type SegmentRecord,
  type SegmentRepository,
} from '@t2s/service-store';
import { checkCriteriaSpecOn, type ModelLookup } from './criteria-spec';

/** Who is asking: the API key. A key sees only its own segments unless it is an admin key. */
export interface Caller {
  id: string;
  admin?: boolean;
}

/** Starts a run on the queues; in the gateway, `enqueueSegment` of @t2s/queue. */
export type RunStarter = (run: {
  segmentId: string;
  revisionId: string;
  startStage: Stage;
  lane: RunLane;
}) => Promise<unknown>;

export interface SegmentServiceDeps {
  segments: SegmentRepository;
  members: MemberStore;
  idempotency: IdempotencyRepository;
  approvals: ApprovalRepository;
  list: SegmentListRepository;
  startRun: RunStarter;
  /**
   * The warehouses this deployment serves (the gateway's WAREHOUSE_SCHEMAS): a request naming another
   * is refused up front rather than failing at a stage. Empty or absent: not checked here.
   */
  warehouses?: readonly string[];
  /**
   * Why a webhook URL may not be stored (an internal target; `WebhookTargetPolicy.refusalOfUrl` of
   * @t2s/webhooks with the deployment's allow-list), or null. Absent: not checked here (the webhook
   * worker still refuses internal targets at delivery).
   */
  webhookRefusal?: (url: string) => string | null;
  /**
   * The warehouses' semantic models, to check criteria given as structure (`criteriaSpec`) before they
   * are stored. Absent: not checked here (the criteria stage still refuses what does not compile).
   */
  models?: ModelLookup;
}

/**
 * The segment use cases behind the HTTP API, free of HTTP: store the request or the edit, then start the
 * run. Store first, enqueue second; if the enqueue fails (Redis down) the client gets an error and its
 * retry with the same Idempotency-Key finds the stored segment and enqueues again. The stage job id is
 * derived from the revision, so an enqueue that did reach Redis is never doubled.
 */
export class SegmentService {
  constructor(private readonly deps: SegmentServiceDeps) {}

  async create(
    caller: Caller,
    request: SegmentRequest,
    idempotencyKey?: string,
    lane: RunLane = 'single',
  ): Promise<{ accepted: SegmentAccepted; created: boolean }> {
    this.checkWarehouse(request);
    this.checkWebhook(request);
    await this.checkCriteriaSpec(request);
    const { segment, created } = await this.deps.segments.createFromRequest({
      apiKeyId: caller.id,
      idempotencyKey,
      requestHash: hashRequest(request),
      request,
    });
    // A replay of a segment still queued re-enqueues: the first answer may have been lost with its job.
    if (created || segment.status === 'queued') await this.start(segment, segment.currentRevisionId, lane);
    return { accepted: accepted(segment, segment.currentRevisionId), created };
  }

  /** INVALID_REQUEST for a warehouse this deployment does not serve; `path` prefixes the field (a batch item). */
  checkWarehouse(request: SegmentRequest, path = ''): void {
    const served = this.deps.warehouses ?? [];
    const { warehouse } = request.options;
    if (served.length === 0 || served.includes(warehouse)) return;
    const message = `Warehouse ${JSON.stringify(warehouse)} is not served here; GET /v1/warehouses lists those that are`;
    throw new AppError('INVALID_REQUEST', message, {
      details: [{ path: `${path}options.warehouse`, reason: message }],
    });
  }

  /** INVALID_REQUEST for a webhook URL that points inside the network; `path` prefixes the field. */
  checkWebhook(request: SegmentRequest, path = ''): void {
    const url = request.webhook?.url;
    const refusal = url === undefined ? null : (this.deps.webhookRefusal?.(url) ?? null);
    if (refusal === null) return;
    const message = `Webhook URL refused: ${refusal}`;
    throw new AppError('INVALID_REQUEST', message, {
      details: [{ path: `${path}webhook.url`, reason: refusal }],
    });
  }

  /** INVALID_REQUEST for criteria given as structure that do not compile on the warehouse (R4). */
  async checkCriteriaSpec(
    request: Pick<SegmentRequest, 'criteriaSpec' | 'options'>,
    path = '',
  ): Promise<void> {
    if (request.criteriaSpec === undefined || !this.deps.models) return;
    await checkCriteriaSpecOn(
      this.deps.models,
      request.options.warehouse,
      request.criteriaSpec,
      `${path}criteriaSpec`,
    );
  }

  /** The caller's segments newest first (every key's for an admin key). */
  list(caller: Caller, query: SegmentListQuery): Promise<SegmentList> {
    return this.deps.list.page(caller.id, query, { admin: caller.admin });
  }

  async get(caller: Caller, id: string): Promise<Segment> {
    return toApiView(await this.require(caller, id));
  }

  async membersPage(
    caller: Caller,
    id: string,
    query: { cursor?: string; limit: number },
  ): Promise<MembersPage> {
    await this.require(caller, id);
    const page = await this.deps.members.page(id, query);
    if (page === null) throw noResult();
    return page;
  }

  /** Every member id, for a streamed CSV; checks access and that a result exists before the first byte. */
  async members(caller: Caller, id: string): Promise<AsyncIterable<string[]>> {
    const segment = await this.require(caller, id);
    if (segment.currentRunId === null) throw noResult();
    return this.deps.members.stream(id);
  }

  async revise(
    caller: Caller,
    id: string,
    change: RevisionRequest,
    idempotencyKey?: string,
  ): Promise<SegmentAccepted> {
    const segment = await this.require(caller, id);
    await this.checkCriteriaSpec({ criteriaSpec: change.criteriaSpec, options: segment.options });
    const ref = idempotencyKey ? { apiKeyId: caller.id, scope: `revision:${id}`, key: idempotencyKey } : null;
    return this.deps.idempotency.once(ref, hashRequest(change), async () => {
      const revision = await this.deps.segments.addRevision(
        id,
        change.sql !== undefined
          ? { sql: change.sql, author: change.author }
          : { criteria: change.criteria, criteriaSpec: change.criteriaSpec, author: change.author },
        caller.id,
      );
      return this.startRevision(id, revision);
    });
  }

  async rerun(
    caller: Caller,
    id: string,
    idempotencyKey?: string,
    lane: RunLane = 'single',
  ): Promise<SegmentAccepted> {
    await this.require(caller, id);
    const ref = idempotencyKey ? { apiKeyId: caller.id, scope: `rerun:${id}`, key: idempotencyKey } : null;
    return this.deps.idempotency.once(ref, hashRequest({ rerun: id }), async () =>
      this.startRevision(id, await this.deps.segments.rerun(id, caller.id), lane),
    );
  }

  /**
   * A person accepts the current revision's result; it becomes a few-shot example for the LLM strategy.
   * Approving the same revision again answers the same approval (a retried request is harmless).
   */
  async approve(caller: Caller, id: string, request: ApprovalRequest): Promise<Approval> {
    await this.require(caller, id);
    const approval = await this.deps.approvals.approve(id, {
      ...(request.revision === undefined ? {} : { revision: request.revision }),
      ...(request.author === undefined ? {} : { author: request.author }),
      authorKeyId: caller.id,
    });
    if (approval === null) throw new AppError('NOT_FOUND', `No segment ${id}`);
    return approvalView(approval);
  }

  /** The segment if the caller may see it; NOT_FOUND otherwise (another key's segment does not exist for it). */
  async require(caller: Caller, id: string): Promise<SegmentRecord> {
    const segment = await this.deps.segments.get(id, caller.id, { admin: caller.admin });
    if (!segment) throw new AppError('NOT_FOUND', `No segment ${id}`);
    return segment;
  }

  private async startRevision(
    id: string,
    revision: RevisionRecord | null,
    lane: RunLane = 'single',
  ): Promise<SegmentAccepted> {
    if (revision === null) throw new AppError('NOT_FOUND', `No segment ${id}`);
    const segment = await this.deps.segments.findById(id);
    if (!segment) throw new AppError('NOT_FOUND', `No segment ${id}`);
    // Another revision may have landed in between; this one's run is then superseded, not started.
    if (segment.currentRevisionId === revision.id) await this.start(segment, revision.id, lane);
    return accepted(segment, revision.id);
  }

  private async start(segment: SegmentRecord, revisionId: string, lane: RunLane): Promise<void> {
    await this.deps.startRun({ segmentId: segment.id, revisionId, startStage: segment.stage, lane });
  }
}

function accepted(segment: SegmentRecord, revisionId: string): SegmentAccepted {
  const revision = segment.revisions.find((r) => r.id === revisionId);
  if (!revision) throw new Error(`segment ${segment.id} has no revision ${revisionId}`);
  return {
    id: segment.id,
    status: segment.currentRevisionId === revisionId ? segment.status : 'queued',
    revision: { id: revision.id, number: revision.number },
    links: segmentLinks(segment.id),
  };
}

function noResult(): AppError {
  return new AppError('NOT_FOUND', 'The segment has no result yet; its members appear when it succeeds');
}
