import type { Catalog } from '@t2s/catalog';
import type { SandboxExecutor } from '@t2s/sql-sandbox';
import type { MemberStore, SegmentRepository } from '@t2s/service-store';
import type { Stage } from '@t2s/contracts';
import type { PipelineStrategy } from '../strategy';

/** One stage job, as the stage job payload carries it (the `v` field is the transport's business). */
export interface StageJob {
  segmentId: string;
  revisionId: string;
  attempt: number;
}

export interface StageDeps {
  segments: SegmentRepository;
  members: MemberStore;
  strategy: PipelineStrategy;
  /** The catalog of a warehouse by name (the segment's `options.warehouse`); cached by the caller. */
  catalogs: (warehouse: string) => Promise<Catalog>;
  sandbox: Pick<SandboxExecutor, 'execute'>;
  clock: () => Date;
}

/** What to enqueue next: a stage and the attempt number of its job, or null when the run is over. */
export type StageOutput = { next: Stage; attempt: number } | { next: null };

export const DONE: StageOutput = { next: null };
