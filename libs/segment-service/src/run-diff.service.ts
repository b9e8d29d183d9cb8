import { AppError, runDiffLinks, type MemberChange, type RunDiff } from '@t2s/contracts';
import type { RunDiffRecord, RunDiffStore } from '@t2s/service-store';
import type { Caller, SegmentService } from './segment.service';

export interface RunDiffServiceDeps {
  /** Access: a key sees only its own segments (another key's is NOT_FOUND), an admin key every one. */
  segments: Pick<SegmentService, 'require'>;
  diffs: RunDiffStore;
}

/**
 * What changed between runs (issue 16): the visible result's diff against the segment's result before
 * it, and who entered and who left, free of HTTP. The diff is taken when a run completes
 * (`MemberStore.completeRun`), so reading it costs one query and the exports stream stored ids.
 */
export class RunDiffService {
  constructor(private readonly deps: RunDiffServiceDeps) {}

  async get(caller: Caller, id: string): Promise<RunDiff> {
    return toApiView(await this.require(caller, id));
  }

  /**
   * The entered or left ids as batches, for a streamed CSV. Access, the result and its diff are checked
   * here, before the first byte; the first batch is read by the caller (`started`) for the same reason.
   */
  async changes(caller: Caller, id: string, change: MemberChange): Promise<AsyncIterable<string[]>> {
    const diff = await this.require(caller, id);
    return this.deps.diffs.stream(diff.runId, change);
  }

  private async require(caller: Caller, id: string): Promise<RunDiffRecord> {
    await this.deps.segments.require(caller, id);
    const { result, diff } = await this.deps.diffs.current(id);
    if (!result) {
      throw new AppError(
        'NOT_FOUND',
        'The segment has no result yet (or a newer revision is running); its diff appears when it succeeds',
      );
    }
    if (diff === null) {
      throw new AppError(
        'NOT_FOUND',
        "The segment's result is its first: there is no previous result to compare it with",
      );
    }
    return diff;
  }
}

function toApiView(diff: RunDiffRecord): RunDiff {
  return {
    segmentId: diff.segmentId,
    runId: diff.runId,
    previousRunId: diff.previousRunId,
    revision: diff.revisionNumber,
    previousRevision: diff.previousRevisionNumber,
    attribution: diff.attribution,
    entered: diff.entered,
    left: diff.left,
    stayed: diff.stayed,
    at: diff.at.toISOString(),
    links: runDiffLinks(diff.segmentId),
  };
}
