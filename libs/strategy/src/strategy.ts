import type { Catalog } from '@t2s/catalog';
import type { Criterion, ErrorCode, Offer } from '@t2s/contracts';
import type { Precedent } from '@t2s/precedents';

/**
 * The per-stage strategy contract. The offline baseline (@t2s/baseline) and the LLM strategy (@t2s/llm)
 * implement it; the stage functions know nothing else about them. Every call reports the LLM tokens it
 * used (0 for deterministic strategies) so the stage can record them against the budget.
 * A strategy signals a deterministic failure by throwing an AppError with a non-retryable code, and a
 * transient one (LLM down) with a retryable code.
 */

export interface CriteriaInput {
  offer: Offer;
  /** Criteria a marketer wrote (ru/en); when present it is parsed, not regenerated. */
  criteriaText?: string;
  catalog: Catalog;
  /** LLM tokens this run has spent already (earlier passes), against its budget. */
  tokensSpent?: number;
  /** The warehouse's precedents (past campaigns, their SQL read into criteria), newest first. */
  precedents?: readonly Precedent[];
}

export interface CriteriaResult {
  criteria: Criterion[];
  /** Fragments of the text (or of the offer) that map to no warehouse data; shown, never dropped. */
  unparsed: string[];
  /**
   * Share of the text's content words a criterion consumed, 0..1, when the strategy counts it (the
   * baseline parser does). Absent: the criteria stage derives it from `unparsed` (`understandingOf` of
   * @t2s/contracts), as for the LLM strategy.
   */
  coverage?: number;
  tokens: number;
  /** The prompt file version that wrote it (`sql.v1`); absent for a deterministic strategy. */
  prompt?: string;
}

export interface LinkingInput {
  criteria: Criterion[];
  catalog: Catalog;
  /** LLM tokens this run has spent already, against its budget. */
  tokensSpent?: number;
}

export interface LinkingResult {
  /** Catalog tables (`schema.table`) the criteria need. */
  tables: string[];
  /** The same, per criterion id, when the strategy knows it. */
  byCriterion?: Record<string, string[]>;
  tokens: number;
  /** The prompt file version that wrote it (`sql.v1`); absent for a deterministic strategy. */
  prompt?: string;
}

/** The failure of the previous SQL of this revision, for a repair round. */
export interface SqlRepairContext {
  code: ErrorCode;
  message: string;
  sql: string;
}

export interface SqlInput {
  criteria: Criterion[];
  /** The tables the linking stage chose; each criterion's `spec.linked` holds its own. */
  linked: { tables: string[] };
  catalog: Catalog;
  /** The warehouse's name (the segment's `options.warehouse`), for what the strategy keeps per warehouse. */
  warehouse?: string;
  previousError?: SqlRepairContext;
  /** LLM tokens this run has spent already (criteria, earlier SQL rounds), against its budget. */
  tokensSpent?: number;
}

export interface SqlResult {
  /** One SELECT returning exactly one column, the client id. */
  sql: string;
  perCriterion?: { id: string; sql: string }[];
  tokens: number;
  /** The prompt file version that wrote it (`sql.v1`); absent for a deterministic strategy. */
  prompt?: string;
}

export interface CriteriaStrategy {
  generate(input: CriteriaInput): Promise<CriteriaResult>;
}

export interface LinkingStrategy {
  link(input: LinkingInput): Promise<LinkingResult>;
}

export interface SqlStrategy {
  generate(input: SqlInput): Promise<SqlResult>;
}

export interface PipelineStrategy {
  name: string;
  criteria: CriteriaStrategy;
  linking: LinkingStrategy;
  sql: SqlStrategy;
}
