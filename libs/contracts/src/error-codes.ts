import { stageSchema } from './stage';
import { z } from './zod-openapi';

/**
 * The one list of error codes. The same string is the API error's `code`, a failed segment's
 * `error.code`, the `code` label on metrics and the webhook's `segment.error.code`, so a code seen in
 * a dashboard can be looked up here. Values are UPPER_SNAKE to stay valid, low-cardinality labels.
 */
export const ERROR_CODES = [
  'INVALID_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'IDEMPOTENCY_CONFLICT',
  'NOT_APPROVABLE',
  'PAYLOAD_TOO_LARGE',
  'URI_TOO_LONG',
  'UNSUPPORTED_MEDIA_TYPE',
  'HEADERS_TOO_LARGE',
  'REQUEST_TIMEOUT',
  'INVALID_OFFER',
  'INVALID_JOB_PAYLOAD',
  'CRITERIA_UNPARSED',
  'CRITERIA_PARTIAL',
  'STRATEGY_UNAVAILABLE',
  'SCHEMA_LINKING_FAILED',
  'SQL_REJECTED',
  'SQL_FAILED',
  'SQL_TIMEOUT',
  'COST_LIMIT_EXCEEDED',
  'EMPTY_SEGMENT',
  'STAGE_TIMEOUT',
  'DEADLINE_EXCEEDED',
  'LLM_TIMEOUT',
  'LLM_UNAVAILABLE',
  'LLM_BAD_OUTPUT',
  'LLM_REFUSED',
  'BUDGET_EXCEEDED',
  'WAREHOUSE_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorCodeInfo {
  /**
   * The HTTP status when the error answers a request. Pipeline codes have one too, for the rare
   * synchronous path and so a gateway never has to guess: 422 for a deterministic failure of the
   * input, 503/504 for a dependency that is down or slow, 500 for our own fault.
   */
  httpStatus: number;
  /**
   * Whether running the same job again, unchanged, may succeed (a transient fault). Workers turn a
   * non-retryable error into an immediate failure instead of burning BullMQ attempts; an error that
   * is retryable must be rethrown, never swallowed.
   */
  retryable: boolean;
  description: string;
}

// A Record over ErrorCode: the compiler refuses a code without its status, retry flag and description.
export const ERROR_CATALOG: Readonly<Record<ErrorCode, ErrorCodeInfo>> = {
  INVALID_REQUEST: {
    httpStatus: 400,
    retryable: false,
    description: 'The request does not match the API schema; `details` lists each field path and reason.',
  },
  UNAUTHORIZED: {
    httpStatus: 401,
    retryable: false,
    description: 'Missing, malformed or unknown API key (`Authorization: Bearer <key>`).',
  },
  FORBIDDEN: {
    httpStatus: 403,
    retryable: false,
    description: 'The API key is valid but may not do this (the queue board needs an admin key).',
  },
  NOT_FOUND: {
    httpStatus: 404,
    retryable: false,
    description:
      'No such segment, batch, warehouse or route for this API key, or nothing there yet (members before a result).',
  },
  IDEMPOTENCY_CONFLICT: {
    httpStatus: 409,
    retryable: false,
    description: 'The Idempotency-Key was already used with a different request body.',
  },
  NOT_APPROVABLE: {
    httpStatus: 409,
    retryable: false,
    description:
      'Only an executed run (succeeded or needs_review) of the current revision can be approved: the segment is still running or failed, or the revision reviewed is no longer the current one.',
  },
  PAYLOAD_TOO_LARGE: {
    httpStatus: 413,
    retryable: false,
    description: 'The request body exceeds the configured size limit.',
  },
  URI_TOO_LONG: {
    httpStatus: 414,
    retryable: false,
    description: 'The request URI (path and query) or one of its path parameters is too long.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    httpStatus: 415,
    retryable: false,
    description: 'The request body has a Content-Type the API does not read; send `application/json`.',
  },
  HEADERS_TOO_LARGE: {
    httpStatus: 431,
    retryable: false,
    description: 'The request line and headers together exceed the server limit (16 KiB).',
  },
  REQUEST_TIMEOUT: {
    httpStatus: 408,
    retryable: false,
    description: 'The client did not send the whole request in time.',
  },
  INVALID_OFFER: {
    httpStatus: 400,
    retryable: false,
    description: 'The offer is malformed or says too little to derive an audience from it.',
  },
  INVALID_JOB_PAYLOAD: {
    httpStatus: 500,
    retryable: false,
    description: 'A queue job payload does not match its schema or version (a deploy or producer bug).',
  },
  CRITERIA_UNPARSED: {
    httpStatus: 422,
    retryable: false,
    description: 'No criterion in the text could be mapped to data the warehouse has.',
  },
  CRITERIA_PARTIAL: {
    httpStatus: 422,
    retryable: false,
    description:
      'Part of the text maps to no warehouse data and the request asked `options.onUnparsed: "fail"`: the run stops after the criteria stage, before any SQL runs. The message quotes the fragments; the segment\'s `understanding.unparsed` lists them.',
  },
  SCHEMA_LINKING_FAILED: {
    httpStatus: 422,
    retryable: false,
    description: 'The tables, columns or values a criterion needs could not be found in the catalog.',
  },
  SQL_REJECTED: {
    httpStatus: 422,
    retryable: false,
    description: 'The SQL guard refused the query (not a single read-only SELECT over allowed relations).',
  },
  SQL_FAILED: {
    httpStatus: 422,
    retryable: false,
    description: 'The warehouse rejected the query and the repair rounds did not fix it.',
  },
  SQL_TIMEOUT: {
    httpStatus: 422,
    retryable: false,
    description: 'The query hit the statement timeout; the same query would time out again.',
  },
  COST_LIMIT_EXCEEDED: {
    httpStatus: 422,
    retryable: false,
    description: "The query planner's cost estimate is above the configured cap, so it was not run.",
  },
  EMPTY_SEGMENT: {
    httpStatus: 422,
    retryable: false,
    description: 'The query ran but returned no clients, also after the repair rounds.',
  },
  STAGE_TIMEOUT: {
    httpStatus: 504,
    retryable: true,
    description: 'One stage attempt ran past its own timeout.',
  },
  DEADLINE_EXCEEDED: {
    httpStatus: 504,
    retryable: false,
    description:
      'The run passed its overall deadline (5 minutes by default); retrying cannot win the time back.',
  },
  LLM_TIMEOUT: {
    httpStatus: 504,
    retryable: true,
    description: 'The LLM backend did not answer in time.',
  },
  LLM_UNAVAILABLE: {
    httpStatus: 503,
    retryable: true,
    description: 'The LLM backend is unreachable, overloaded or refused the credentials.',
  },
  LLM_BAD_OUTPUT: {
    httpStatus: 502,
    retryable: false,
    description:
      "The model's answer did not have the structure asked for (not JSON, or not the schema), also after being told what was wrong.",
  },
  LLM_REFUSED: {
    httpStatus: 502,
    retryable: false,
    description:
      'The LLM provider refused the request for good: quota exhausted (402), prompt too large (413), invalid request (422) or its content filter (GigaChat `finish_reason: blacklist`).',
  },
  STRATEGY_UNAVAILABLE: {
    httpStatus: 422,
    retryable: false,
    description:
      'The segment asks for a strategy this service does not run (`llm` with no model configured for the workers).',
  },
  BUDGET_EXCEEDED: {
    httpStatus: 422,
    retryable: false,
    description: 'The run would exceed its LLM token budget (200,000 non-cached tokens with GigaChat).',
  },
  WAREHOUSE_UNAVAILABLE: {
    httpStatus: 503,
    retryable: true,
    description: 'The bank warehouse cannot be reached.',
  },
  INTERNAL: {
    httpStatus: 500,
    // An unclassified fault may well be transient (a dropped connection); the bounded BullMQ retry budget
    // is cheaper than a lost run. Deterministic failures get their own code.
    retryable: true,
    description: 'An unexpected error inside the service.',
  },
};

export const errorCodeSchema = z.enum(ERROR_CODES).openapi('ErrorCode', {
  description: 'Shared by API errors, segment errors, webhook events and metrics labels.',
});

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOG, value);
}

/** A failed run's error as the segment record, the GET response and webhooks carry it. */
export const t2sErrorSchema = z
  .object({
    code: errorCodeSchema,
    stage: stageSchema.optional().openapi({ description: 'The stage that failed; absent outside a stage.' }),
    message: z.string().openapi({ description: 'English, for people; never contains client data.' }),
  })
  .openapi('T2sError');

export type T2sError = z.infer<typeof t2sErrorSchema>;
