import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import {
  AppError,
  type CriterionSpecInput,
  type ExecutedSegmentStatus,
  type SegmentRequest,
  type Stage,
  type T2sError,
  type Understanding,
} from '@t2s/contracts';
import type {
  CriterionSqlRecord,
  RevisionRecord,
  SegmentRecord,
  StageOutcome,
  StoredCriteria,
} from './segment.record';
import {
  segmentSelect,
  toRevisionRecord,
  viewVersionColumn,
  toSegmentRecord,
  type RevisionRow,
  type SegmentRow,
} from './segment.rows';
import { isUuid, storeTables, type StoreTables } from './store-tables';
import { withTransaction } from './transaction';

export interface CreateSegmentInput {
  apiKeyId: string;
  idempotencyKey?: string;
  /** Hash of the parsed request (see `hashRequest`); compared when the idempotency key repeats. */
  requestHash: string;
  request: SegmentRequest;
}

/**
 * A person's edit: criteria (text, structure or both) or sql (the contracts' revision request), or a
 * re-run.
 */
export type RevisionChange =
  | { criteria?: string; criteriaSpec?: CriterionSpecInput[]; sql?: undefined; author?: string }
  | { sql: string; criteria?: undefined; criteriaSpec?: undefined; author?: string };

/** Identifies one pass of a stage, as a stage job payload does (stored in `stage_run.attempt`). */
export interface StageRef {
  segmentId: string;
  revisionId: string;
  stage: Stage;
  pass: number;
}

export interface StageFinish {
  outcome: StageOutcome;
  error?: T2sError;
  /** LLM tokens this pass used, cached prompt tokens excluded. */
  tokens?: number;
  /** The prompt file version that wrote this pass, for an LLM strategy. */
  prompt?: string;
  /** Milliseconds inside the strategy (criteria, linking and SQL stages). */
  strategyMs?: number;
}

export interface SegmentSuccess {
  /**
   * The final status of the executed run: `needs_review` when the text was not understood whole
   * (`executedStatus` of @t2s/contracts decides); `succeeded` when absent.
   */
  status?: ExecutedSegmentStatus;
  sampleIds: string[];
  perCriterionCounts?: Record<string, number>;
  funnel?: { criterion: string; remaining: number }[];
  /** The segment's side of its portrait (`PortraitCounts` of @t2s/semantic), when it was counted. */
  portrait?: unknown;
}

/** Statuses a stage may still write in; a finished run is only reopened by a new revision. */
const ACTIVE = `status in ('queued', 'running')`;

/**
 * The segment record and its history. Writes from the pipeline name the revision they work for and are
 * ignored (return false) once a newer revision superseded it, so a slow worker of an old revision can
 * never overwrite the result a person is now waiting for.
 */
export class SegmentRepository {
  private readonly t: StoreTables;
  private readonly select: string;
  private readonly viewSelect: string;
  private readonly versionQuery: string;
  private readonly versionStatement: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.t = storeTables(schema);
    this.select = segmentSelect(this.t);
    this.viewSelect = segmentSelect(this.t, `${viewVersionColumn(this.t)} as view_version,`);
    this.versionQuery = `select ${viewVersionColumn(this.t)} as view_version from ${this.t.segment} s
      where s.id = $1 and ($2::boolean or s.api_key_id = $3::uuid)`;
    // Prepared once per connection (its name is unique per schema, as its text is).
    this.versionStatement = `segment-view-version:${schema}`;
  }

  /**
   * Creates the segment and its revision 1 in one transaction. With an idempotency key already used by
   * this API key: the same request hash returns that segment (`created: false`); another hash throws
   * IDEMPOTENCY_CONFLICT. Concurrent duplicates are settled by the unique index, not by a prior read.
   */
  async createFromRequest(input: CreateSegmentInput): Promise<{ segment: SegmentRecord; created: boolean }> {
    const { request } = input;
    const idempotencyKey = input.idempotencyKey ?? null;
    const revisionId = randomUUID();
    const createdId = await withTransaction(this.pool, async (client) => {
      const inserted = await client.query<{ id: string }>(
        `insert into ${this.t.segment} (api_key_id, idempotency_key, request_hash, offer, options, webhook_url,
           current_revision_id, deadline_at)
         values ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8::double precision / 1000))
         on conflict (api_key_id, idempotency_key) where idempotency_key is not null do nothing
         returning id`,
        [
          input.apiKeyId,
          idempotencyKey,
          input.requestHash,
          JSON.stringify(request.offer),
          JSON.stringify(request.options),
          request.webhook?.url ?? null,
          revisionId,
          request.options.deadlineMs,
        ],
      );
      const id = inserted.rows[0]?.id;
      if (id === undefined) return null;
      await client.query(
        `insert into ${this.t.revision} (id, segment_id, number, kind, criteria_text, criteria_spec,
           author_key_id)
         values ($1, $2, 1, 'initial', $3, $4, $5)`,
        [
          revisionId,
          id,
          request.criteria ?? null,
          request.criteriaSpec ? JSON.stringify(request.criteriaSpec) : null,
          input.apiKeyId,
        ],
      );
      return id;
    });

    if (createdId !== null) return { segment: await this.require(createdId), created: true };

    const { rows } = await this.pool.query<{ id: string; request_hash: string }>(
      `select id, request_hash from ${this.t.segment} where api_key_id = $1 and idempotency_key = $2`,
      [input.apiKeyId, idempotencyKey],
    );
    const existing = rows[0];
    if (!existing) throw new Error('idempotent insert conflicted but no segment holds the key'); // deleted meanwhile
    if (existing.request_hash !== input.requestHash) {
      throw new AppError(
        'IDEMPOTENCY_CONFLICT',
        'This Idempotency-Key was already used with a different request body',
      );
    }
    return { segment: await this.require(existing.id), created: false };
  }

  /** The segment if this API key may see it (its own, or any with `admin`), else null. */
  async get(id: string, apiKeyId: string, options: { admin?: boolean } = {}): Promise<SegmentRecord | null> {
    if (!isUuid(id)) return null;
    const { rows } = await this.pool.query<SegmentRow>(
      `${this.select} where s.id = $1 and ($2::boolean or s.api_key_id = $3::uuid)`,
      [id, options.admin ?? false, apiKeyId],
    );
    return rows[0] ? toSegmentRecord(rows[0]) : null;
  }

  /**
   * As `get`, with the version of the segment's API view read in the same snapshot (`viewVersionColumn`:
   * null while the view may still change without a new revision or approval).
   */
  async getForView(
    id: string,
    apiKeyId: string,
    options: { admin?: boolean } = {},
  ): Promise<{ segment: SegmentRecord; viewVersion: string | null } | null> {
    if (!isUuid(id)) return null;
    const { rows } = await this.pool.query<SegmentRow & { view_version: string | null }>(
      `${this.viewSelect} where s.id = $1 and ($2::boolean or s.api_key_id = $3::uuid)`,
      [id, options.admin ?? false, apiKeyId],
    );
    const row = rows[0];
    return row ? { segment: toSegmentRecord(row), viewVersion: row.view_version } : null;
  }

  /**
   * Only the version of the segment's API view (see `getForView`), one light prepared statement: a
   * reader holding the view of that version need not read it again. Undefined when this API key may not
   * see the segment.
   */
  async viewVersion(
    id: string,
    apiKeyId: string,
    options: { admin?: boolean } = {},
  ): Promise<string | null | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.pool.query<{ view_version: string | null }>({
      name: this.versionStatement,
      text: this.versionQuery,
      values: [id, options.admin ?? false, apiKeyId],
    });
    return rows[0] === undefined ? undefined : rows[0].view_version;
  }

  /** For workers, which act on a segment id from a trusted job payload: no ownership check. */
  async findById(id: string): Promise<SegmentRecord | null> {
    if (!isUuid(id)) return null;
    const { rows } = await this.pool.query<SegmentRow>(`${this.select} where s.id = $1`, [id]);
    return rows[0] ? toSegmentRecord(rows[0]) : null;
  }

  private async require(id: string): Promise<SegmentRecord> {
    const segment = await this.findById(id);
    if (!segment) throw new Error(`segment ${id} vanished`);
    return segment;
  }

  /**
   * Appends a revision (number + 1), makes it current and queues a new run: from the criteria stage for
   * criteria text, from execution for SQL. The previous result stops being shown (it described another
   * revision) and its member runs are discarded. Null when the segment does not exist.
   */
  addRevision(
    segmentId: string,
    change: RevisionChange,
    authorKeyId: string,
  ): Promise<RevisionRecord | null> {
    return change.sql !== undefined
      ? this.appendRevision(segmentId, 'sql', { sql: change.sql, author: change.author }, authorKeyId)
      : this.appendRevision(
          segmentId,
          'criteria',
          { criteria: change.criteria, criteriaSpec: change.criteriaSpec, author: change.author },
          authorKeyId,
        );
  }

  /** Runs the current criteria and SQL again on fresh warehouse data (a `rerun` revision, no edit). */
  rerun(segmentId: string, authorKeyId: string, author?: string): Promise<RevisionRecord | null> {
    return this.appendRevision(segmentId, 'rerun', { author }, authorKeyId);
  }

  private async appendRevision(
    segmentId: string,
    kind: 'criteria' | 'sql' | 'rerun',
    change: {
      criteria?: string | undefined;
      criteriaSpec?: CriterionSpecInput[] | undefined;
      sql?: string;
      author?: string | undefined;
    },
    authorKeyId: string,
  ): Promise<RevisionRecord | null> {
    if (!isUuid(segmentId)) return null;
    return withTransaction(this.pool, async (client) => {
      // The row lock serialises concurrent revisions of one segment, so numbers never collide.
      const locked = await client.query<{ sql: string | null }>(
        `select sql from ${this.t.segment} where id = $1 for update`,
        [segmentId],
      );
      const current = locked.rows[0];
      if (!current) return null;
      const inserted = await client.query<RevisionRow>(
        `insert into ${this.t.revision} (segment_id, number, kind, criteria_text, criteria_spec, sql, author,
           author_key_id)
         values ($1, (select coalesce(max(number), 0) + 1 from ${this.t.revision} where segment_id = $1),
           $2, $3, $4, $5, $6, $7)
         returning id, segment_id, number, kind, criteria_text, criteria_spec, sql, generated_sql, author,
           author_key_id, created_at`,
        [
          segmentId,
          kind,
          change.criteria ?? null,
          change.criteriaSpec ? JSON.stringify(change.criteriaSpec) : null,
          change.sql ?? null,
          change.author ?? null,
          authorKeyId,
        ],
      );
      const revision = toRevisionRecord(inserted.rows[0] as RevisionRow);
      // criteria: parse the new text, then link and generate SQL again; sql: run it as given;
      // rerun: execute the current SQL again (or start over when the last run never got that far).
      const stage: Stage =
        kind === 'criteria' || (kind === 'rerun' && current.sql === null) ? 'criteria' : 'execution';
      await client.query(
        `update ${this.t.segment} set current_revision_id = $2, status = 'queued', stage = $3,
           criteria = case when $4 = 'criteria' then null else criteria end,
           understanding = case when $4 = 'criteria' then null else understanding end,
           sql = case when $4 = 'criteria' then null when $4 = 'sql' then $5 else sql end,
           criterion_sql = case when $4 = 'rerun' then criterion_sql end,
           current_run_id = null, result_size = null, sample_ids = null, per_criterion_counts = null,
           funnel = null, portrait = null,
           error = null, finished_at = null, updated_at = now(),
           deadline_at = now() + make_interval(secs => (options->>'deadlineMs')::double precision / 1000)
         where id = $1`,
        [segmentId, revision.id, stage, kind, change.sql ?? null],
      );
      await client.query(
        `update ${this.t.run} set status = 'discarded', finished_at = coalesce(finished_at, now())
         where segment_id = $1 and status <> 'discarded'`,
        [segmentId],
      );
      return revision;
    });
  }

  /**
   * Records the start of a stage pass and marks the segment running in that stage. Idempotent on
   * (revision, stage, pass): a redelivered job keeps the first start time. False when the revision is
   * no longer current or its run already finished: the job should then be dropped.
   */
  async startStage(ref: StageRef): Promise<boolean> {
    // One statement (one round trip, atomic on its own): the stage run is inserted only when the update
    // matched, and the answer is whether it did.
    const { rows } = await this.pool.query<{ started: boolean }>(
      `with started as (
         update ${this.t.segment} set status = 'running', stage = $3, updated_at = now()
         where id = $1 and current_revision_id = $2 and ${ACTIVE}
         returning id
       ), run as (
         insert into ${this.t.stageRun} (segment_id, revision_id, stage, attempt)
         select $1, $2, $3, $4 from started
         on conflict (revision_id, stage, attempt) do nothing
       )
       select exists (select 1 from started) as started`,
      [ref.segmentId, ref.revisionId, ref.stage, ref.pass],
    );
    return rows[0]?.started === true;
  }

  /** Closes a stage pass; the first finish wins (false when it was already finished or never started). */
  async finishStage(ref: StageRef, finish: StageFinish): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `update ${this.t.stageRun} set finished_at = now(), outcome = $4, error = $5, tokens = $6, prompt = $7, strategy_ms = $8,
         duration_ms = greatest(0, round(extract(epoch from now() - started_at) * 1000))::integer
       where revision_id = $1 and stage = $2 and attempt = $3 and finished_at is null`,
      [
        ref.revisionId,
        ref.stage,
        ref.pass,
        finish.outcome,
        finish.error === undefined ? null : JSON.stringify(finish.error),
        finish.tokens ?? 0,
        finish.prompt ?? null,
        finish.strategyMs === undefined ? null : Math.round(finish.strategyMs),
      ],
    );
    return rowCount === 1;
  }

  /**
   * Stores the parsed or generated criteria of the current revision, with what of the text they
   * understood (the criteria stage gives it; a later stage that only annotates the items omits it and
   * keeps the stored one); false when superseded.
   */
  async saveCriteria(
    segmentId: string,
    revisionId: string,
    criteria: StoredCriteria,
    understanding?: Understanding,
  ): Promise<boolean> {
    return this.updateCurrent(
      segmentId,
      revisionId,
      'criteria = $3, understanding = coalesce($4, understanding)',
      [
        JSON.stringify({ text: criteria.text, items: criteria.items }),
        understanding === undefined ? null : JSON.stringify(understanding),
      ],
    );
  }

  /**
   * Stores the generated (or repaired) SQL of the current revision, with each criterion's own SELECT
   * when the strategy gave them; false when superseded.
   */
  async saveSql(
    segmentId: string,
    revisionId: string,
    sql: string,
    perCriterion?: CriterionSqlRecord[],
  ): Promise<boolean> {
    // The revision keeps what was generated for it, so the history can show each run's SQL.
    const { rowCount } = await this.pool.query(
      `with saved as (
         update ${this.t.segment} set sql = $3, criterion_sql = $4, updated_at = now()
         where id = $1 and current_revision_id = $2 and ${ACTIVE}
         returning current_revision_id)
       update ${this.t.revision} r set generated_sql = $3 from saved where r.id = saved.current_revision_id`,
      [segmentId, revisionId, sql, perCriterion ? JSON.stringify(perCriterion) : null],
    );
    return rowCount === 1;
  }

  /** Fails the run of the current revision with a coded error; false when superseded or already finished. */
  async fail(segmentId: string, revisionId: string, error: T2sError): Promise<boolean> {
    return this.updateCurrent(
      segmentId,
      revisionId,
      `status = 'failed', error = $3, stage = coalesce($4, stage), finished_at = now()`,
      [JSON.stringify(error), error.stage ?? null],
    );
  }

  /**
   * Marks the run succeeded (or needs_review, `result.status`) once its member run completed
   * (`MemberStore.completeRun` sets the size); false when superseded, already finished, or no run completed.
   */
  async succeed(segmentId: string, revisionId: string, result: SegmentSuccess): Promise<boolean> {
    return this.updateCurrent(
      segmentId,
      revisionId,
      `status = $6, stage = 'execution', error = null, finished_at = now(), sample_ids = $3,
       per_criterion_counts = $4, funnel = $5, portrait = $7`,
      [
        JSON.stringify(result.sampleIds),
        result.perCriterionCounts ? JSON.stringify(result.perCriterionCounts) : null,
        result.funnel ? JSON.stringify(result.funnel) : null,
        result.status ?? 'succeeded',
        result.portrait === undefined ? null : JSON.stringify(result.portrait),
      ],
      'and current_run_id is not null',
    );
  }

  private async updateCurrent(
    segmentId: string,
    revisionId: string,
    assignments: string,
    values: unknown[],
    extraCondition = '',
  ): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `update ${this.t.segment} set ${assignments}, updated_at = now()
       where id = $1 and current_revision_id = $2 and ${ACTIVE} ${extraCondition}`,
      [segmentId, revisionId, ...values],
    );
    return rowCount === 1;
  }
}
