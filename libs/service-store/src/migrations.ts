/**
 * The service database's schema, as an ordered list of migrations. They are TypeScript constants rather
 * than .sql files read at runtime so that tsx, Jest and a compiled/bundled build all find them without
 * copying assets. Each text is written without a schema name: `runMigrations` sets `search_path` to the
 * target schema, so the same text (and the same checksum) serves production (`t2s`) and test schemas.
 *
 * An applied migration is never edited (its checksum is recorded and checked); change the schema by
 * appending a migration.
 */
export interface Migration {
  /** Four digits, applied in ascending order. */
  version: string;
  name: string;
  sql: string;
}

const apiKey = `
create table api_key (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  key_hash bytea not null unique check (length(key_hash) = 32),
  prefix text not null,
  admin boolean not null default false,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);`;

const segment = `
create table segment (
  id uuid primary key default gen_random_uuid(),
  api_key_id uuid not null references api_key (id),
  idempotency_key text,
  request_hash text not null,
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
  stage text not null default 'criteria' check (stage in ('criteria', 'linking', 'sql', 'execution')),
  offer jsonb not null,
  options jsonb not null,
  webhook_url text,
  current_revision_id uuid,
  criteria jsonb,
  sql text,
  current_run_id uuid,
  result_size bigint,
  sample_ids jsonb,
  per_criterion_counts jsonb,
  error jsonb,
  deadline_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);
-- Idempotency is per API key: two systems may pick the same key without seeing each other's segments.
create unique index segment_idempotency_key_idx on segment (api_key_id, idempotency_key)
  where idempotency_key is not null;
create index segment_api_key_created_idx on segment (api_key_id, created_at desc);

create table segment_revision (
  id uuid primary key default gen_random_uuid(),
  segment_id uuid not null references segment (id) on delete cascade,
  number integer not null check (number >= 1),
  kind text not null check (kind in ('initial', 'criteria', 'sql', 'rerun')),
  criteria_text text,
  sql text,
  author text,
  author_key_id uuid references api_key (id),
  created_at timestamptz not null default now(),
  unique (segment_id, number)
);
-- Deferred: the segment and its first revision are inserted in one transaction, segment first.
alter table segment add constraint segment_current_revision_fk
  foreign key (current_revision_id) references segment_revision (id) deferrable initially deferred;

-- One row per pass of a stage over a revision; (revision, stage, attempt) is what a redelivered job repeats.
create table stage_run (
  segment_id uuid not null references segment (id) on delete cascade,
  revision_id uuid not null references segment_revision (id) on delete cascade,
  stage text not null check (stage in ('criteria', 'linking', 'sql', 'execution')),
  attempt integer not null check (attempt >= 0),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  outcome text check (outcome in ('succeeded', 'failed', 'superseded')),
  error jsonb,
  duration_ms integer,
  tokens integer not null default 0 check (tokens >= 0),
  primary key (revision_id, stage, attempt)
);`;

const members = `
-- An execution writes its ids under a run; only the run that segment.current_run_id points at is visible,
-- so ids of a failed or retried execution are never shown or counted.
create table segment_run (
  id uuid primary key default gen_random_uuid(),
  segment_id uuid not null references segment (id) on delete cascade,
  revision_id uuid not null references segment_revision (id) on delete cascade,
  status text not null default 'running' check (status in ('running', 'complete', 'discarded')),
  rows bigint,
  started_at timestamptz not null default now(),
  finished_at timestamptz
);
create index segment_run_segment_idx on segment_run (segment_id);
alter table segment add constraint segment_current_run_fk
  foreign key (current_run_id) references segment_run (id) deferrable initially deferred;

-- collate "C": byte order, so the keyset pages are stable whatever the database's locale.
create table segment_member (
  segment_id uuid not null,
  run_id uuid not null references segment_run (id) on delete cascade,
  client_id text collate "C" not null,
  primary key (run_id, client_id)
);`;

const webhooksAndBatches = `
-- The event is stored once; each delivery attempt of it is a webhook_delivery row.
create table webhook_event (
  id uuid primary key default gen_random_uuid(),
  segment_id uuid not null references segment (id) on delete cascade,
  revision_id uuid not null references segment_revision (id) on delete cascade,
  type text not null check (type in ('segment.succeeded', 'segment.failed')),
  url text not null,
  body jsonb not null,
  created_at timestamptz not null default now(),
  delivered_at timestamptz,
  unique (revision_id, type)
);

create table webhook_delivery (
  id uuid primary key default gen_random_uuid(),
  event_id uuid not null references webhook_event (id) on delete cascade,
  segment_id uuid not null references segment (id) on delete cascade,
  attempt integer not null check (attempt >= 1),
  url text not null,
  status_code integer,
  error text,
  duration_ms integer not null check (duration_ms >= 0),
  delivered_at timestamptz not null default now(),
  unique (event_id, attempt)
);
create index webhook_delivery_segment_idx on webhook_delivery (segment_id, delivered_at);

create table batch (
  id uuid primary key default gen_random_uuid(),
  api_key_id uuid not null references api_key (id),
  kind text not null check (kind in ('segments', 'rerun')),
  created_at timestamptz not null default now()
);

create table batch_item (
  batch_id uuid not null references batch (id) on delete cascade,
  position integer not null check (position >= 0),
  segment_id uuid not null references segment (id) on delete cascade,
  error jsonb,
  primary key (batch_id, position)
);`;

/**
 * The SQL audit trail the sandbox writes through PgAuditSink (sql-audit.repository.ts); this migration is
 * the table's only DDL. The verdict check lists SQL_AUDIT_VERDICTS of @t2s/contracts.
 */
const sqlAudit = `
create table if not exists sql_audit (
  id bigserial primary key,
  sql_hash text not null,
  sql text not null,
  segment_id text,
  revision_id text,
  api_key_id text,
  verdict text not null check (verdict in ('rejected', 'failed', 'executed', 'explained')),
  code text,
  reason text,
  sql_state text,
  duration_ms integer not null,
  rows bigint,
  cost double precision,
  at timestamptz not null
);
create index if not exists sql_audit_segment_id_idx on sql_audit (segment_id);
create index if not exists sql_audit_sql_hash_idx on sql_audit (sql_hash);`;

/**
 * Idempotency keys of the requests that are not segment creations (revisions, re-runs, batches): the
 * first request claims the key, stores its answer when done, and a repeat gets that answer back.
 */
const idempotency = `
create table idempotent_request (
  api_key_id uuid not null references api_key (id) on delete cascade,
  scope text not null,
  key text not null,
  request_hash text not null,
  response jsonb,
  claimed_at timestamptz not null default now(),
  completed_at timestamptz,
  primary key (api_key_id, scope, key)
);`;

/**
 * Approvals and prompt versions. A person approves a succeeded revision: its criteria text and SQL are
 * kept (a copy, so later revisions never change what was approved) and become few-shot examples for
 * the LLM strategy on the same warehouse. Each stage pass records the prompt file that wrote it.
 */
const approvals = `
create table segment_approval (
  id uuid primary key default gen_random_uuid(),
  segment_id uuid not null references segment (id) on delete cascade,
  revision_id uuid not null unique references segment_revision (id) on delete cascade,
  warehouse text not null,
  criteria_text text not null,
  sql text not null,
  result_size bigint,
  author text,
  author_key_id uuid references api_key (id),
  approved_at timestamptz not null default now()
);
create index segment_approval_segment_idx on segment_approval (segment_id, approved_at desc);
create index segment_approval_warehouse_idx on segment_approval (warehouse, approved_at desc);

alter table stage_run add column prompt text;`;

/**
 * Time inside the strategy per stage pass (the model or the rules), so the rest of a run's time, the
 * orchestration (queue hops, bookkeeping, storing ids), can be told apart from it.
 */
const strategyTime = `
alter table stage_run add column strategy_ms integer check (strategy_ms >= 0);`;

/**
 * Each criterion's own SELECT, as the SQL stage wrote the segment query, so the execution can count
 * what each keeps and how the segment narrows (the review console's funnel); cleared when a person's
 * SQL replaces the generated one.
 */
const funnel = `
alter table segment add column criterion_sql jsonb, add column funnel jsonb;`;

/**
 * The SQL the SQL stage wrote for each revision (its last repair round), so the history shows what
 * every run executed and a person's SQL can be compared with the generated SQL it replaced.
 */
const generatedSql = `
alter table segment_revision add column generated_sql text;`;

/**
 * Who wrote each audited SQL text: a strategy or a person (a SQL revision), which run under different
 * guard policies and timeouts. Null for rows written before it, and for callers that do not say.
 */
const sqlAuditOrigin = `
alter table sql_audit add column origin text check (origin in ('generated', 'person'));`;

/**
 * Per-API-key webhook signing secrets (Standard Webhooks `whsec_` secrets). They must be usable for the
 * HMAC, so they cannot be hashed like API keys; they are stored sealed (AES-256-GCM under a key derived
 * from WEBHOOK_SECRET, bound to the API key id), so a read of this database alone signs nothing. A
 * rotation gives the current row an expiry (the rollover window) and inserts the new one: the worker
 * signs with every row not yet expired, so receivers holding either secret keep verifying.
 * A delivery refused before connecting (the target resolved to an internal address) is marked `refused`.
 */
const webhookSecrets = `
create table webhook_secret (
  id uuid primary key default gen_random_uuid(),
  api_key_id uuid not null references api_key (id) on delete cascade,
  sealed bytea not null check (length(sealed) > 28),
  created_at timestamptz not null default now(),
  expires_at timestamptz
);
-- One current (unexpiring) secret per key; a rotation expires it in the same transaction.
create unique index webhook_secret_current_idx on webhook_secret (api_key_id) where expires_at is null;
create index webhook_secret_api_key_idx on webhook_secret (api_key_id, created_at desc);

alter table webhook_delivery add column refused boolean not null default false;`;

/**
 * "Understood, or says so": a run whose query executed but whose text had a part mapping to no
 * warehouse data ends `needs_review` (its webhook event is `segment.needs_review`), and the segment
 * keeps its understanding (coverage and the unparsed fragments) in a column of its own, cleared with the
 * criteria. The fragments used to live in `criteria.unparsed`: they move here, with a coverage counted
 * from characters as `understandingOf` of @t2s/contracts counts it (for an offer, against the criteria
 * text rather than the offer's, which the row does not keep: approximate for those rows). Runs that
 * ended before keep their status. The checks are replaced `not valid` then validated, so the segment
 * table is not locked against writes while its rows are checked.
 */
const needsReview = `
alter table segment drop constraint segment_status_check;
alter table segment add constraint segment_status_check
  check (status in ('queued', 'running', 'succeeded', 'needs_review', 'failed')) not valid;
alter table segment validate constraint segment_status_check;

alter table webhook_event drop constraint webhook_event_type_check;
alter table webhook_event add constraint webhook_event_type_check
  check (type in ('segment.succeeded', 'segment.needs_review', 'segment.failed')) not valid;
alter table webhook_event validate constraint webhook_event_type_check;

alter table segment add column understanding jsonb;
update segment s set
  understanding = jsonb_build_object(
    'coverage', (
      select case when count(*) filter (where f ~ '[[:alnum:]]') = 0 then 1
        else greatest(0, 1 - sum(length(btrim(f))) filter (where f ~ '[[:alnum:]]')::double precision
          / nullif(length(btrim(s.criteria->>'text')), 0)) end
      from jsonb_array_elements_text(coalesce(s.criteria->'unparsed', '[]'::jsonb)) f),
    'unparsed', coalesce(s.criteria->'unparsed', '[]'::jsonb)),
  criteria = s.criteria - 'unparsed'
where s.criteria is not null;`;

/**
 * What changed between two results of a segment (issue 16). A run records, as it completes, hashes of
 * the SQL and of the criteria items it executed, so the next result can tell a data change (the same
 * definition run again) from a definition change. The latest result's diff against the result before
 * it keeps its counts and the ids that entered and left (for the exports); `MemberStore.completeRun`
 * writes it and the purge of discarded runs removes it, so each segment holds at most one. A re-run
 * batch item remembers the revision it started, so the batch report sums exactly the diffs of its runs.
 */
const runDiff = `
alter table segment_run add column sql_hash text, add column criteria_hash text;

create table segment_run_diff (
  run_id uuid primary key references segment_run (id) on delete cascade,
  segment_id uuid not null references segment (id) on delete cascade,
  previous_run_id uuid not null references segment_run (id) on delete cascade,
  attribution text not null check (attribution in ('data', 'definition')),
  entered_count bigint not null check (entered_count >= 0),
  left_count bigint not null check (left_count >= 0),
  stayed_count bigint not null check (stayed_count >= 0),
  created_at timestamptz not null default now()
);
create index segment_run_diff_segment_idx on segment_run_diff (segment_id);

-- collate "C" as segment_member: the exports are keyset pages in byte order.
create table segment_run_change (
  run_id uuid not null references segment_run_diff (run_id) on delete cascade,
  change text not null check (change in ('entered', 'left')),
  client_id text collate "C" not null,
  primary key (run_id, change, client_id)
);

alter table batch_item add column revision_id uuid references segment_revision (id) on delete set null;`;

/**
 * Criteria as structure (issue 16, a criteria builder): a revision may set the criteria as the
 * representation's JSON instead of, or beside, the text; the criteria stage then runs the structure and
 * keeps the text as the wording it came from.
 */
const criteriaSpec = `alter table segment_revision add column criteria_spec jsonb;`;

/**
 * Conversion (issue 16, BR3): who converted among a segment's clients, imported from a CSV or read from
 * the warehouse's campaign responses, one row per (segment, client) so an import repeated is harmless;
 * and each import, so a segment with outcomes imported and none converted is told from one never measured.
 */
const outcomes = `
create table segment_outcome (
  segment_id uuid not null references segment (id) on delete cascade,
  client_id text collate "C" not null check (length(client_id) between 1 and 200),
  converted_at timestamptz,
  source text not null check (source in ('csv', 'warehouse')),
  recorded_at timestamptz not null default now(),
  primary key (segment_id, client_id)
);

create table segment_outcome_import (
  id uuid primary key default gen_random_uuid(),
  segment_id uuid not null references segment (id) on delete cascade,
  source text not null check (source in ('csv', 'warehouse')),
  lines bigint not null check (lines >= 0),
  stored bigint not null check (stored >= 0),
  api_key_id uuid references api_key (id),
  imported_at timestamptz not null default now()
);
create index segment_outcome_import_segment_idx on segment_outcome_import (segment_id);`;

/**
 * The segment's side of its portrait, counted by the execution stage right after the segment query
 * (buckets of the semantic model's portrait lines), so that a view of it need not run the segment again.
 */
const portrait = `alter table segment add column portrait jsonb;`;

/**
 * Precedents (issue 17, offers from precedent): campaigns the bank already ran, their offer and the SQL a
 * person wrote or approved for it, read back into criteria (null until read: an approval's SQL is read by
 * the workers, once). An approval becomes one with it (deleted with it); an archive is imported by
 * `t2s precedents import`, one row per (warehouse, campaign), so an import repeated replaces, never adds.
 */
const precedents = `
create table precedent (
  id uuid primary key default gen_random_uuid(),
  warehouse text not null,
  campaign text not null check (length(campaign) between 1 and 200),
  offer jsonb not null,
  sql text not null,
  criteria jsonb,
  coverage real check (coverage between 0 and 1),
  approved_at timestamptz,
  approved_by text,
  origin text not null check (origin in ('approval', 'import')),
  approval_id uuid unique references segment_approval (id) on delete cascade,
  created_at timestamptz not null default now(),
  check ((origin = 'approval') = (approval_id is not null))
);
create unique index precedent_import_campaign_idx on precedent (warehouse, campaign) where origin = 'import';
create index precedent_warehouse_idx on precedent (warehouse, (coalesce(approved_at, created_at)) desc);`;

export const MIGRATIONS: readonly Migration[] = [
  { version: '0001', name: 'api-key', sql: apiKey },
  { version: '0002', name: 'segment', sql: segment },
  { version: '0003', name: 'segment-members', sql: members },
  { version: '0004', name: 'webhooks-and-batches', sql: webhooksAndBatches },
  { version: '0005', name: 'sql-audit', sql: sqlAudit },
  { version: '0006', name: 'idempotency', sql: idempotency },
  { version: '0007', name: 'approvals-and-prompts', sql: approvals },
  { version: '0008', name: 'strategy-time', sql: strategyTime },
  { version: '0009', name: 'criterion-sql-and-funnel', sql: funnel },
  { version: '0010', name: 'revision-generated-sql', sql: generatedSql },
  { version: '0011', name: 'sql-audit-origin', sql: sqlAuditOrigin },
  { version: '0012', name: 'webhook-secrets', sql: webhookSecrets },
  { version: '0013', name: 'needs-review', sql: needsReview },
  { version: '0014', name: 'run-diff', sql: runDiff },
  { version: '0015', name: 'segment-outcomes', sql: outcomes },
  { version: '0016', name: 'revision-criteria-spec', sql: criteriaSpec },
  { version: '0017', name: 'segment-portrait', sql: portrait },
  { version: '0018', name: 'precedents', sql: precedents },
];
